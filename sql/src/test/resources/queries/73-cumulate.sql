-- Cumulating windows in append mode: each 15-second period has windows ending 5, 10 and 15 seconds after its
-- start, a row counting in those that end after it; each window is emitted once, when the watermark passes its
-- end, with out-of-order rows (within the watermark's delay) counted in every window they fall in.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, window_end, window_time, COUNT(*) AS n, SUM(v) AS total, MAX(k) AS last_k FROM TABLE(CUMULATE(TABLE s, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '15' SECOND)) GROUP BY window_start, window_end, window_time;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:07
a, 3, 2026-01-01 00:00:03
-- data: s
d, 4, 2026-01-01 00:00:12
c, 5, 2026-01-01 00:00:09
-- data: s
c, 6, 2026-01-01 00:00:16
a, 7, 2026-01-01 00:00:14
-- data: s
z, 1, 2026-01-01 00:00:40
-- expect:
2026-01-01 00:00:00, 2026-01-01 00:00:05, 2026-01-01 00:00:04.999, 2, 4, a
2026-01-01 00:00:00, 2026-01-01 00:00:10, 2026-01-01 00:00:09.999, 4, 11, c
2026-01-01 00:00:00, 2026-01-01 00:00:15, 2026-01-01 00:00:14.999, 6, 22, d
2026-01-01 00:00:15, 2026-01-01 00:00:20, 2026-01-01 00:00:19.999, 1, 6, c
2026-01-01 00:00:15, 2026-01-01 00:00:25, 2026-01-01 00:00:24.999, 1, 6, c
2026-01-01 00:00:15, 2026-01-01 00:00:30, 2026-01-01 00:00:29.999, 1, 6, c
