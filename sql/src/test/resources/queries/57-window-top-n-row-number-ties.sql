-- ROW_NUMBER breaks ties in the order rows came, across batches.
-- state-store: memory, rocksdb
CREATE STREAM s (g VARCHAR, k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, g, k, v, r FROM (SELECT window_start, g, k, v, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, g ORDER BY v) AS r FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE r <= 2;
-- data: s
x, a, 5, 2026-01-01 00:00:01
-- data: s
x, b, 5, 2026-01-01 00:00:02
-- data: s
x, c, 5, 2026-01-01 00:00:03
-- data: s
x, z, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, x, a, 5, 1
2026-01-01 00:00:00, x, b, 5, 2
