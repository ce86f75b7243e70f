-- A 20 s window over the window_time of 10 s windows.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
WITH w AS (SELECT window_time AS wt, k, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, window_time, k) SELECT window_start, window_end, SUM(n) AS total, COUNT(*) AS keys FROM TABLE(TUMBLE(TABLE w, DESCRIPTOR(wt), INTERVAL '20' SECOND)) GROUP BY window_start, window_end;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 1, 2026-01-01 00:00:02
a, 1, 2026-01-01 00:00:08
-- data: s
a, 1, 2026-01-01 00:00:12
-- data: s
b, 1, 2026-01-01 00:00:25
-- data: s
c, 1, 2026-01-01 00:00:50
-- expect:
2026-01-01 00:00:00, 2026-01-01 00:00:20, 4, 3
2026-01-01 00:00:20, 2026-01-01 00:00:40, 1, 1
