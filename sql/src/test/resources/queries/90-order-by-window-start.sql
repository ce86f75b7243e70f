-- ORDER BY the window start of a tumbling aggregation in append mode: each batch's windows (several close in the
-- first) are emitted sorted, and later batches close later windows. (The order itself is asserted in SortLimitTest.)
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, k, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k ORDER BY window_start, n DESC, k;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
b, 3, 2026-01-01 00:00:03
a, 4, 2026-01-01 00:00:12
c, 5, 2026-01-01 00:00:25
-- data: s
a, 6, 2026-01-01 00:00:41
-- expect:
2026-01-01 00:00:00, b, 2
2026-01-01 00:00:00, a, 1
2026-01-01 00:00:10, a, 1
2026-01-01 00:00:20, c, 1
