-- Window Top-N with null ORDER BY values (lowest: last in descending order) and a null partition.
-- state-store: memory, rocksdb
CREATE STREAM s (g VARCHAR, k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, g, k, v, r FROM (SELECT window_start, g, k, v, DENSE_RANK() OVER (PARTITION BY window_start, window_end, g ORDER BY v DESC) AS r FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE r <= 4;
-- data: s
x, a, 5, 2026-01-01 00:00:01
x, b, null, 2026-01-01 00:00:02
x, c, 9, 2026-01-01 00:00:03
-- data: s
x, d, 9, 2026-01-01 00:00:04
null, e, null, 2026-01-01 00:00:05
x, f, 3, 2026-01-01 00:00:06
null, g, 1, 2026-01-01 00:00:06
-- data: s
x, z, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, x, c, 9, 1
2026-01-01 00:00:00, x, d, 9, 1
2026-01-01 00:00:00, x, a, 5, 2
2026-01-01 00:00:00, x, f, 3, 3
2026-01-01 00:00:00, x, b, null, 4
2026-01-01 00:00:00, null, g, 1, 1
2026-01-01 00:00:00, null, e, null, 2
