-- Session windows per key: a gap of more than 5 s ends a session.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, window_end, k, COUNT(*) AS n, SUM(v) AS total FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, k;
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
2026-01-01 00:00:01, 2026-01-01 00:00:08, a, 2, 4
2026-01-01 00:00:02, 2026-01-01 00:00:07, b, 1, 2
2026-01-01 00:00:09, 2026-01-01 00:00:14, a, 1, 4
2026-01-01 00:00:12, 2026-01-01 00:00:17, b, 1, 5
2026-01-01 00:00:20, 2026-01-01 00:00:25, a, 1, 6
