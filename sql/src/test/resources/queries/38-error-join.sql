-- A join of two streams with neither an equality of keys nor a bound on event time (nor a state TTL) would compare
-- every row with every row ever seen: refused, saying what would work.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT * FROM s a JOIN s b ON a.v < b.v;
-- error: has no equality of keys and no bound on event time
