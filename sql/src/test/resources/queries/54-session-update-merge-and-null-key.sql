-- Sessions in update mode: a row joins a session from an earlier batch with one of its own batch; a null key
-- has sessions too.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 3
SELECT window_start, window_end, k, COUNT(*) AS n, SUM(v) AS total FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '3' SECOND)) GROUP BY window_start, window_end, k;
-- data: s
a, 1, 2026-01-01 00:00:01
null, 2, 2026-01-01 00:00:01
a, 3, 2026-01-01 00:00:05
-- data: s
a, 4, 2026-01-01 00:00:03
null, 5, 2026-01-01 00:00:03
-- data: s
a, 6, 2026-01-01 00:00:12
a, 7, 2026-01-01 00:00:10
a, 8, 2026-01-01 00:00:08
-- data: s
b, 1, 2026-01-01 00:00:40
-- expect:
2026-01-01 00:00:01, 2026-01-01 00:00:15, a, 6, 29
2026-01-01 00:00:01, 2026-01-01 00:00:06, null, 2, 7
2026-01-01 00:00:40, 2026-01-01 00:00:43, b, 1, 1
