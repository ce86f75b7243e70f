-- Tumbling windows in complete mode keep every window.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: complete
SELECT window_start, window_end, k, COUNT(*) AS n, SUM(v) AS total FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:03
a, 3, 2026-01-01 00:00:08
-- data: s
a, 4, 2026-01-01 00:00:12
-- data: s
b, 5, 2026-01-01 00:00:16
-- data: s
c, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, 2026-01-01 00:00:10, a, 2, 4
2026-01-01 00:00:00, 2026-01-01 00:00:10, b, 1, 2
2026-01-01 00:00:10, 2026-01-01 00:00:20, a, 1, 4
2026-01-01 00:00:10, 2026-01-01 00:00:20, b, 1, 5
2026-01-01 00:00:30, 2026-01-01 00:00:40, c, 1, 1
