-- COUNT, SUM, MIN, MAX and AVG per key.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT k, COUNT(v), SUM(v), MIN(v), MAX(v), AVG(v) FROM s GROUP BY k;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
c, 4, 2026-01-01 00:00:04
b, 5, 2026-01-01 00:00:06
-- expect:
a, 2, 4, 1, 3, 2
b, 2, 7, 2, 5, 3
c, 1, 4, 4, 4, 4
