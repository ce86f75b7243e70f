-- One session stream without keys whose sessions join across batches.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, window_end, COUNT(*) AS n, SUM(v) AS total FROM TABLE(SESSION(TABLE s, DESCRIPTOR(ts), INTERVAL '3' SECOND)) GROUP BY window_start, window_end;
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
2026-01-01 00:00:01, 2026-01-01 00:00:15, 8, 36
