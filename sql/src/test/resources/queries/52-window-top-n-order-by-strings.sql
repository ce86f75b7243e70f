-- Window Top-N ordered by strings of different lengths.
-- state-store: memory, rocksdb
CREATE STREAM s (g VARCHAR, k VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, g, k, r FROM (SELECT window_start, g, k, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, g ORDER BY k) AS r FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE r <= 3;
-- data: s
x, a, 2026-01-01 00:00:01
x, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, 2026-01-01 00:00:02
-- data: s
x, z, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, x, a, 1
2026-01-01 00:00:00, x, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, 2
