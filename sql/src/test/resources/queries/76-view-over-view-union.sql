-- A view over a view (with its own column names, read in another case) unioned with a stream under a window, and
-- a CTE over the view: the views plan in the query's place, their event time intact.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE STREAM r (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE VIEW named (key, amount, t) AS SELECT k, v, ts FROM s;
CREATE TEMPORARY VIEW doubled AS SELECT key, amount * 2 AS amount, t FROM Named WHERE key <> 'x';
WITH both_sides AS (SELECT key, amount, t FROM DOUBLED UNION ALL SELECT k, v, ts FROM r) SELECT window_start, key, SUM(amount) AS total FROM TABLE(TUMBLE(TABLE both_sides, DESCRIPTOR(t), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, key;
-- mode: append
-- data: s
a, 1, 2026-01-01 00:00:01
x, 5, 2026-01-01 00:00:02
-- data: r
a, 10, 2026-01-01 00:00:03
b, 7, 2026-01-01 00:00:04
-- data: s
a, 1, 2026-01-01 00:00:30
-- data: r
a, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, a, 12
2026-01-01 00:00:00, b, 7
