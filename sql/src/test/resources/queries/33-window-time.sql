-- window_time is the window's end minus 1 ms.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_time, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, window_time;
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
2026-01-01 00:00:09.999, 2026-01-01 00:00:10, 3
2026-01-01 00:00:19.999, 2026-01-01 00:00:20, 2
