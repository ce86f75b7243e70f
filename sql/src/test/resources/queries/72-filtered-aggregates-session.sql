-- Aggregates with FILTER (WHERE ...) over session windows, append mode: the conditions are computed before the
-- window; sessions that merge merge their filtered aggregates too.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, window_end, k, COUNT(*) AS n, COUNT(*) FILTER (WHERE v > 2) AS big, SUM(v) FILTER (WHERE v > 2) AS big_total, MIN(v) FILTER (WHERE v <= 2) AS small_min, MAX(v) FILTER (WHERE MOD(v, 2) = 0) AS even_max, APPROX_COUNT_DISTINCT(v) FILTER (WHERE v < 10) AS distinct_small FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, k;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
b, 7, 2026-01-01 00:00:04
a, 4, 2026-01-01 00:00:13
-- data: s
a, 6, 2026-01-01 00:00:08
a, 1, 2026-01-01 00:00:30
-- data: s
z, 1, 2026-01-01 00:01:00
-- expect:
2026-01-01 00:00:01, 2026-01-01 00:00:18, a, 4, 3, 13, 1, 6, 4
2026-01-01 00:00:02, 2026-01-01 00:00:09, b, 2, 1, 7, 2, 2, 2
2026-01-01 00:00:30, 2026-01-01 00:00:35, a, 1, 0, null, 1, null, 1
