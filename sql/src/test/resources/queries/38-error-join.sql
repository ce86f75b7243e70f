-- A join of two streams without a bound on their event times is refused: its state would grow forever.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT * FROM s a JOIN s b ON a.k = b.k;
-- error: would keep every row of either side forever
