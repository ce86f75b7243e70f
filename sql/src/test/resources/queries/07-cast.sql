-- CAST between types.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT CAST(v AS VARCHAR) || 'x' AS s, CAST(v AS DOUBLE) / 2 AS half, CAST('7' AS BIGINT) + v AS n FROM s WHERE v <= 2;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
c, 4, 2026-01-01 00:00:04
b, 5, 2026-01-01 00:00:06
-- expect:
1x, 0.5, 8
2x, 1.0, 9
