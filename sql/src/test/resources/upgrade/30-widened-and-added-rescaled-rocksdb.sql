-- 29 with RocksDB state: each partition of three takes the entries of its key groups from the RocksDB state of the
-- two before, deciding by their keys read as BIGINT, and rewrites them in the new layout.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- state-store: rocksdb
-- parallelism after: 3
-- before:
SELECT window_start, v / 3 AS third, COUNT(DISTINCT k) AS keys FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, v / 3
-- after:
SELECT window_start, v / 3 AS third, COUNT(DISTINCT k) AS keys, SUM(v) AS total FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, v / 3
