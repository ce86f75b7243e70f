-- Window Top-N over a cumulating window aggregation: the two busiest keys of each window, ranked once, when the
-- watermark passes that window's own end (not the end of its period's largest window).
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT * FROM (SELECT window_start, window_end, k, n, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY n DESC, k) AS r FROM (SELECT window_start, window_end, k, COUNT(*) AS n FROM TABLE(CUMULATE(TABLE s, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k)) WHERE r <= 2;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 1, 2026-01-01 00:00:02
a, 1, 2026-01-01 00:00:06
-- data: s
b, 1, 2026-01-01 00:00:07
b, 1, 2026-01-01 00:00:08
a, 1, 2026-01-01 00:00:03
c, 1, 2026-01-01 00:00:04
-- data: s
c, 1, 2026-01-01 00:00:11
c, 1, 2026-01-01 00:00:12
a, 1, 2026-01-01 00:00:13
-- data: s
z, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, 2026-01-01 00:00:05, a, 2, 1
2026-01-01 00:00:00, 2026-01-01 00:00:05, b, 1, 2
2026-01-01 00:00:00, 2026-01-01 00:00:10, a, 3, 1
2026-01-01 00:00:00, 2026-01-01 00:00:10, b, 3, 2
2026-01-01 00:00:10, 2026-01-01 00:00:15, c, 2, 1
2026-01-01 00:00:10, 2026-01-01 00:00:15, a, 1, 2
2026-01-01 00:00:10, 2026-01-01 00:00:20, c, 2, 1
2026-01-01 00:00:10, 2026-01-01 00:00:20, a, 1, 2
