-- Append mode over running totals is refused and says what to do.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: append
SELECT k, COUNT(*) FROM s GROUP BY k;
-- error: Append output mode needs a window for the aggregation GROUP BY k
