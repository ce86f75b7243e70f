-- An aggregate added after the others, with RocksDB state: migrated as with memory state (07, the same query): the
-- entries written before the change hold fewer aggregates, and are rewritten with the new one empty when restored.
-- state-store: rocksdb
-- before:
SELECT window_start, k, COUNT(*) AS c, COUNT(*) AS total FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
-- after:
SELECT window_start, k, COUNT(*) AS c, SUM(v) AS total FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
