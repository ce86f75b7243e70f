-- SELECT DISTINCT over a tumbling window's columns: each window's distinct keys, emitted once when the window
-- closes, after which its state goes. The late row (00:00:02 after the watermark passed 00:00:07) is dropped.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT DISTINCT window_start, window_end, k FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND));
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:03
a, 3, 2026-01-01 00:00:04
-- data: s
a, 4, 2026-01-01 00:00:12
b, 5, 2026-01-01 00:00:08
-- data: s
c, 6, 2026-01-01 00:00:02
a, 7, 2026-01-01 00:00:16
a, 8, 2026-01-01 00:00:19
-- data: s
b, 9, 2026-01-01 00:00:40
-- expect:
2026-01-01 00:00:00, 2026-01-01 00:00:10, a
2026-01-01 00:00:00, 2026-01-01 00:00:10, b
2026-01-01 00:00:10, 2026-01-01 00:00:20, a
