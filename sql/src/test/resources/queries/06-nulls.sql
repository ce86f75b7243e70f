-- NULL in filters and COALESCE.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT COALESCE(k, 'none') AS k, COALESCE(v, -1) AS v, k IS NULL AS nk FROM s WHERE v IS NULL OR v > 1;
-- data: s
a, 1, 2026-01-01 00:00:01
null, 2, 2026-01-01 00:00:02
c, null, 2026-01-01 00:00:03
-- data: s
null, null, 2026-01-01 00:00:04
-- expect:
none, 2, true
c, -1, false
none, -1, true
