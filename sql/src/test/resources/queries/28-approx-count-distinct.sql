-- APPROX_COUNT_DISTINCT is exact for small sets.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, APPROX_COUNT_DISTINCT(v) AS d FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;
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
2026-01-01 00:00:00, 4
