-- Window Top-N with ROW_NUMBER: the two largest values per window.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT * FROM (SELECT window_start, k, v, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS r FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE r <= 2;
-- data: s
a, 5, 2026-01-01 00:00:01
b, 9, 2026-01-01 00:00:02
c, 7, 2026-01-01 00:00:03
d, 9, 2026-01-01 00:00:04
-- data: s
e, 1, 2026-01-01 00:00:11
f, 3, 2026-01-01 00:00:12
-- data: s
g, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, b, 9, 1
2026-01-01 00:00:00, d, 9, 2
2026-01-01 00:00:10, f, 3, 1
2026-01-01 00:00:10, e, 1, 2
