-- SUM and AVG of DOUBLE.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, x DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT k, SUM(x) AS total, AVG(x) AS mean, MAX(x) AS top FROM s GROUP BY k;
-- data: s
a, 0.5, 2026-01-01 00:00:01
a, 1.5, 2026-01-01 00:00:02
-- data: s
b, -2.25, 2026-01-01 00:00:03
a, 4.0, 2026-01-01 00:00:04
-- expect:
a, 6.0, 2.0, 4.0
b, -2.25, -2.25, -2.25
