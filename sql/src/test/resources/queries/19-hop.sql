-- Hopping windows: each row in size / slide windows.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, window_end, COUNT(*) AS n, SUM(v) AS total FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:03
a, 3, 2026-01-01 00:00:08
-- data: s
a, 4, 2026-01-01 00:00:12
-- data: s
b, 5, 2026-01-01 00:00:16
-- data: s
c, 1, 2026-01-01 00:00:30
-- expect:
2025-12-31 23:59:55, 2026-01-01 00:00:05, 2, 3
2026-01-01 00:00:00, 2026-01-01 00:00:10, 3, 6
2026-01-01 00:00:05, 2026-01-01 00:00:15, 2, 7
2026-01-01 00:00:10, 2026-01-01 00:00:20, 2, 9
2026-01-01 00:00:15, 2026-01-01 00:00:25, 1, 5
