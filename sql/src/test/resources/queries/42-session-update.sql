-- Session windows in update mode: each batch gives the sessions it changed; a session that grows or merges with
-- another replaces the rows it had (its start and end are part of its key), as Spark's update mode for sessions.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 3
SELECT window_start, window_end, k, COUNT(*) AS n, SUM(v) AS total FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, k;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
a, 4, 2026-01-01 00:00:09
a, 6, 2026-01-01 00:00:07
-- data: s
c, 1, 2026-01-01 00:00:40
-- expect:
2026-01-01 00:00:01, 2026-01-01 00:00:14, a, 4, 14
2026-01-01 00:00:02, 2026-01-01 00:00:07, b, 1, 2
2026-01-01 00:00:40, 2026-01-01 00:00:45, c, 1, 1
