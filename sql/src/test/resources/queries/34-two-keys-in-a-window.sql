-- GROUP BY a window and two keys.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, c VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, k, c, SUM(v) AS total FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k, c;
-- data: s
a, x, 1, 2026-01-01 00:00:01
a, y, 2, 2026-01-01 00:00:02
a, x, 3, 2026-01-01 00:00:03
-- data: s
b, x, 4, 2026-01-01 00:00:04
-- data: s
z, z, 0, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, a, x, 4
2026-01-01 00:00:00, a, y, 2
2026-01-01 00:00:00, b, x, 4
