-- Window Top-N partitioned by strings of different lengths.
-- state-store: memory, rocksdb
CREATE STREAM s (g VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, g, v, r FROM (SELECT window_start, g, v, RANK() OVER (PARTITION BY window_start, window_end, g ORDER BY v DESC) AS r FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE r <= 1;
-- data: s
a, 1, 2026-01-01 00:00:01
bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, 2, 2026-01-01 00:00:02
-- data: s
c, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, a, 1, 1
2026-01-01 00:00:00, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, 2, 1
