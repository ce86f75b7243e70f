-- UNION ALL of two streams with the same columns, then a window over the union: the watermark is the minimum of
-- the two streams', so the window closes only when both have passed its end.
-- state-store: memory, rocksdb
CREATE STREAM web (user_id VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory');
CREATE STREAM app (user_id VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory');
WITH clicks AS (SELECT user_id, ts FROM web UNION ALL SELECT user_id, ts FROM app) SELECT window_start, user_id, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, user_id;
-- data: web
ann, 2026-01-01 00:00:01
bob, 2026-01-01 00:00:02
ann, 2026-01-01 00:00:25
-- data: app
ann, 2026-01-01 00:00:03
ann, 2026-01-01 00:00:09
-- data: app
bob, 2026-01-01 00:00:12
-- data: app
cid, 2026-01-01 00:00:40
-- expect:
2026-01-01 00:00:00, ann, 3
2026-01-01 00:00:00, bob, 1
2026-01-01 00:00:10, bob, 1
