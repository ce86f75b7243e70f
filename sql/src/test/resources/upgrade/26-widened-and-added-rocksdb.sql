-- 25 with RocksDB state: the windows' keys (their close time first, then v / 3) and the keys of their distinct
-- values are rewritten with v / 3 as BIGINT, the entries extended with the added SUM, empty.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- state-store: rocksdb
-- before:
SELECT window_start, v / 3 AS third, COUNT(DISTINCT k) AS keys FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, v / 3
-- after:
SELECT window_start, v / 3 AS third, COUNT(DISTINCT k) AS keys, SUM(v) AS total FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, v / 3
