-- NULL is a key of its own.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT k, COUNT(*) AS n, SUM(v) AS total FROM s GROUP BY k;
-- data: s
a, 1, 2026-01-01 00:00:01
null, 2, 2026-01-01 00:00:02
-- data: s
null, 3, 2026-01-01 00:00:03
a, null, 2026-01-01 00:00:04
-- expect:
a, 2, 1
null, 2, 5
