-- Hopping windows with an offset, grouped by window_start only (the windows close at window_start + size): kept as
-- slices on the heap, as windows in RocksDB.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory');
SELECT window_start, k, SUM(v) AS total, COUNT(*) AS n FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND, INTERVAL '1' SECOND)) GROUP BY window_start, k;
-- data: s
a, 1, 2026-01-01 00:00:01
a, 2, 2026-01-01 00:00:02
b, 3, 2026-01-01 00:00:04
-- data: s
a, 4, 2026-01-01 00:00:06
b, 5, 2026-01-01 00:00:07
-- data: s
c, 1, 2026-01-01 00:00:20
-- expect:
2025-12-31 23:59:59, a, 3, 2
2026-01-01 00:00:01, a, 3, 2
2026-01-01 00:00:01, b, 3, 1
2026-01-01 00:00:03, a, 4, 1
2026-01-01 00:00:03, b, 3, 1
2026-01-01 00:00:05, a, 4, 1
2026-01-01 00:00:05, b, 5, 1
2026-01-01 00:00:07, b, 5, 1
