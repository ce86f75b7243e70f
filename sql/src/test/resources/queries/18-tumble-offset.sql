-- A tumbling window shifted by an offset.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '5' SECOND)) GROUP BY window_start, window_end;
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
2025-12-31 23:59:55, 2
2026-01-01 00:00:05, 2
2026-01-01 00:00:15, 1
