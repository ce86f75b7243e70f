-- Window Top-N per window and key, whose rows come over several batches; RANK gives ties one rank. In RocksDB
-- the rows are held by the time their window closes, their partition and their rank order, and read ranked.
-- state-store: memory, rocksdb
CREATE STREAM s (g VARCHAR, k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, g, k, v, r FROM (SELECT window_start, g, k, v, RANK() OVER (PARTITION BY window_start, window_end, g ORDER BY v DESC) AS r FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE r <= 2;
-- data: s
x, a, 5, 2026-01-01 00:00:01
x, b, 9, 2026-01-01 00:00:02
y, c, 7, 2026-01-01 00:00:03
x, d, 9, 2026-01-01 00:00:04
-- data: s
x, f, 8, 2026-01-01 00:00:06
y, h, 7, 2026-01-01 00:00:08
x, e, 1, 2026-01-01 00:00:11
-- data: s
y, i, 3, 2026-01-01 00:00:12
x, j, 2, 2026-01-01 00:00:13
-- data: s
x, z, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, x, b, 9, 1
2026-01-01 00:00:00, x, d, 9, 1
2026-01-01 00:00:00, y, c, 7, 1
2026-01-01 00:00:00, y, h, 7, 1
2026-01-01 00:00:10, x, j, 2, 1
2026-01-01 00:00:10, x, e, 1, 2
2026-01-01 00:00:10, y, i, 3, 1
