-- Complete mode needs an aggregation.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: complete
SELECT * FROM s;
-- error: Complete output mode rewrites the whole result after every batch, which needs an aggregation
