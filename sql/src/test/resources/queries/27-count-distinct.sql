-- COUNT(DISTINCT ...) per window.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, k, COUNT(DISTINCT v) AS d, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k;
-- data: s
a, 1, 2026-01-01 00:00:01
a, 1, 2026-01-01 00:00:02
a, 2, 2026-01-01 00:00:03
b, 7, 2026-01-01 00:00:04
-- data: s
a, 3, 2026-01-01 00:00:06
b, 7, 2026-01-01 00:00:07
-- data: s
z, 0, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, a, 3, 4
2026-01-01 00:00:00, b, 1, 2
