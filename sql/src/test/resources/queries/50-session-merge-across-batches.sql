-- Session windows whose rows come over several batches: the row at 00:00:04 joins a's two sessions into one. In
-- RocksDB a batch reads the sessions of the keys it touches, and the watermark finds those it closes by their end.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, window_end, k, COUNT(*) AS n, SUM(v) AS total FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '3' SECOND)) GROUP BY window_start, window_end, k;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:07
-- data: s
a, 4, 2026-01-01 00:00:04
b, 5, 2026-01-01 00:00:12
-- data: s
c, 7, 2026-01-01 00:00:13
a, 8, 2026-01-01 00:00:14
-- data: s
a, 6, 2026-01-01 00:00:20
c, 1, 2026-01-01 00:00:40
-- expect:
2026-01-01 00:00:01, 2026-01-01 00:00:10, a, 3, 8
2026-01-01 00:00:02, 2026-01-01 00:00:05, b, 1, 2
2026-01-01 00:00:12, 2026-01-01 00:00:15, b, 1, 5
2026-01-01 00:00:13, 2026-01-01 00:00:16, c, 1, 7
2026-01-01 00:00:14, 2026-01-01 00:00:17, a, 1, 8
2026-01-01 00:00:20, 2026-01-01 00:00:23, a, 1, 6
