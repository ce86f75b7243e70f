-- MIN and MAX of strings per window.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT window_start, MIN(k) AS first, MAX(k) AS last FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;
-- data: s
pear, 1, 2026-01-01 00:00:01
apple, 1, 2026-01-01 00:00:02
-- data: s
zucchini, 1, 2026-01-01 00:00:05
banana, 1, 2026-01-01 00:00:09
-- data: s
x, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, apple, zucchini
