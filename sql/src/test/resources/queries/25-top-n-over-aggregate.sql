-- The most frequent key of each window.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT * FROM (SELECT window_start, k, n, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY n DESC) AS r FROM (SELECT window_start, window_end, k, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k)) WHERE r <= 1;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 1, 2026-01-01 00:00:02
a, 1, 2026-01-01 00:00:03
c, 1, 2026-01-01 00:00:04
a, 1, 2026-01-01 00:00:05
b, 1, 2026-01-01 00:00:06
-- data: s
c, 1, 2026-01-01 00:00:11
-- data: s
z, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, a, 3, 1
2026-01-01 00:00:10, c, 1, 1
