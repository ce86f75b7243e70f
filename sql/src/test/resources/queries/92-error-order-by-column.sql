-- ORDER BY a column that is not the event time, in append mode: a stream cannot be kept in that order.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT k, v, ts FROM s ORDER BY v;
-- data: s
a, 1, 2026-01-01 00:00:01
-- error: Append output mode cannot keep this ORDER BY: its first key, v, is not the event time of the result
