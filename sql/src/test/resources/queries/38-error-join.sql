-- A join of two streams is refused, for now.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT * FROM s a JOIN s b ON a.k = b.k;
-- error: Joins are not supported yet
