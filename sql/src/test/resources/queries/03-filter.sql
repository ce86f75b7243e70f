-- A filter with AND and OR.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT k, v FROM s WHERE (k = 'a' AND v > 1) OR v >= 4;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
c, 4, 2026-01-01 00:00:04
b, 5, 2026-01-01 00:00:06
-- expect:
a, 3
c, 4
b, 5
