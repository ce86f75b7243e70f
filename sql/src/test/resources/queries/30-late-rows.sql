-- A row older than the watermark is dropped: its window is already final.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, window_end, k, COUNT(*) AS n, SUM(v) AS total FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k;
-- data: s
a, 1, 2026-01-01 00:00:01
a, 2, 2026-01-01 00:00:12
-- data: s
a, 100, 2026-01-01 00:00:03
b, 3, 2026-01-01 00:00:14
-- data: s
c, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, 2026-01-01 00:00:10, a, 1, 1
2026-01-01 00:00:10, 2026-01-01 00:00:20, a, 1, 2
2026-01-01 00:00:10, 2026-01-01 00:00:20, b, 1, 3
