-- GROUP BY an expression.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 2
SELECT UPPER(k) AS kk, v > 2 AS big, COUNT(*) AS n FROM s GROUP BY UPPER(k), v > 2;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
c, 4, 2026-01-01 00:00:04
b, 5, 2026-01-01 00:00:06
-- expect:
A, false, 1
A, true, 1
B, false, 1
B, true, 1
C, true, 1
