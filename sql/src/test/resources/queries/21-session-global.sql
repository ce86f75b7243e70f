-- One session stream without keys: 3 s to 9 s is a gap of more than 5 s.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(SESSION(TABLE s, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
a, 4, 2026-01-01 00:00:09
b, 5, 2026-01-01 00:00:12
-- data: s
a, 6, 2026-01-01 00:00:20
c, 1, 2026-01-01 00:00:40
-- expect:
2026-01-01 00:00:01, 2026-01-01 00:00:08, 3
2026-01-01 00:00:09, 2026-01-01 00:00:17, 2
2026-01-01 00:00:20, 2026-01-01 00:00:25, 1
