-- CASE in the projection.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT k, CASE WHEN v < 2 THEN 'low' WHEN v < 4 THEN 'mid' ELSE 'high' END AS band FROM s;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
c, 4, 2026-01-01 00:00:04
b, 5, 2026-01-01 00:00:06
-- expect:
a, low
b, mid
a, mid
c, high
b, high
