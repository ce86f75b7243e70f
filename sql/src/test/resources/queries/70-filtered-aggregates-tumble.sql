-- Aggregates with FILTER (WHERE ...) in tumbling windows, append mode: only the rows whose condition is TRUE feed
-- each aggregate (a NULL condition counts as not TRUE); a window none of whose rows pass gives COUNT 0 and NULL
-- for SUM, MIN, MAX and AVG.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, COUNT(*) AS n, COUNT(*) FILTER (WHERE k = 'a') AS na, COUNT(v) FILTER (WHERE k <> 'a') AS nv, SUM(v) FILTER (WHERE v > 2) AS big, MIN(v) FILTER (WHERE k <> 'a') AS lo, MAX(k) FILTER (WHERE v < 4) AS hk, AVG(v) FILTER (WHERE v > 1) AS mean, COUNT(DISTINCT k) FILTER (WHERE v >= 3) AS dk, APPROX_COUNT_DISTINCT(k) FILTER (WHERE v < 5) AS ak FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 5, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:04
null, 2, 2026-01-01 00:00:05
c, null, 2026-01-01 00:00:06
-- data: s
b, 4, 2026-01-01 00:00:09
a, 7, 2026-01-01 00:00:12
-- data: s
a, 1, 2026-01-01 00:00:15
a, 2, 2026-01-01 00:00:21
-- data: s
z, 1, 2026-01-01 00:00:40
-- expect:
2026-01-01 00:00:00, 6, 2, 2, 12, 4, a, 3, 2, 2
2026-01-01 00:00:10, 2, 2, 0, 7, null, a, 7, 1, 1
2026-01-01 00:00:20, 1, 1, 0, null, null, a, 2, 0, 1
