-- A widened column with RocksDB state: migrated as with memory state (18, the same query), the value beyond INT's
-- range summed exactly.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- state-store: rocksdb
-- before:
SELECT window_start, k, COUNT(*) AS c, SUM(v) AS total, MAX(v) AS top FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
-- after:
SELECT window_start, k, COUNT(*) AS c, SUM(v) AS total, MAX(v) AS top FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
