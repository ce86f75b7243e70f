-- 25 restarted in three partitions instead of two: each partition takes the rows of its key groups from the state
-- of the two before, read as BIGINT and extended with the added SUM.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- parallelism after: 3
-- before:
SELECT window_start, v / 3 AS third, COUNT(DISTINCT k) AS keys FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, v / 3
-- after:
SELECT window_start, v / 3 AS third, COUNT(DISTINCT k) AS keys, SUM(v) AS total FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, v / 3
