-- Hopping windows per key, kept as slices of one slide on the heap (each window's rows merged when it closes) and
-- as windows in RocksDB: MIN, MAX, AVG and a filtered COUNT, a filter before the window, a late row dropped.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory');
SELECT window_start, window_end, k, COUNT(*) AS n, MIN(v) AS lo, MAX(v) AS hi, AVG(v) AS mean, COUNT(*) FILTER (WHERE v > 2) AS big FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '6' SECOND)) WHERE v < 100 GROUP BY window_start, window_end, k;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:03
a, 3, 2026-01-01 00:00:04
a, 500, 2026-01-01 00:00:05
-- data: s
b, 6, 2026-01-01 00:00:07
a, 5, 2026-01-01 00:00:09
-- data: s
a, 6, 2026-01-01 00:00:02
b, 8, 2026-01-01 00:00:08
-- data: s
c, 1, 2026-01-01 00:00:30
-- expect:
2025-12-31 23:59:56, 2026-01-01 00:00:02, a, 1, 1, 1, 1, 0
2025-12-31 23:59:58, 2026-01-01 00:00:04, a, 1, 1, 1, 1, 0
2025-12-31 23:59:58, 2026-01-01 00:00:04, b, 1, 2, 2, 2, 0
2026-01-01 00:00:00, 2026-01-01 00:00:06, a, 2, 1, 3, 2, 1
2026-01-01 00:00:00, 2026-01-01 00:00:06, b, 1, 2, 2, 2, 0
2026-01-01 00:00:02, 2026-01-01 00:00:08, a, 1, 3, 3, 3, 1
2026-01-01 00:00:02, 2026-01-01 00:00:08, b, 2, 2, 6, 4, 1
2026-01-01 00:00:04, 2026-01-01 00:00:10, a, 2, 3, 5, 4, 2
2026-01-01 00:00:04, 2026-01-01 00:00:10, b, 2, 6, 8, 7, 2
2026-01-01 00:00:06, 2026-01-01 00:00:12, a, 1, 5, 5, 5, 1
2026-01-01 00:00:06, 2026-01-01 00:00:12, b, 2, 6, 8, 7, 2
2026-01-01 00:00:08, 2026-01-01 00:00:14, a, 1, 5, 5, 5, 1
2026-01-01 00:00:08, 2026-01-01 00:00:14, b, 1, 8, 8, 8, 1
