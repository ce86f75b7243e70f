-- A join bounded on one side only: the other side's rows could match forever, so the query is refused, naming it.
CREATE STREAM auction (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE STREAM bid (auction BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT * FROM auction a JOIN bid b ON a.id = b.auction AND b.ts >= a.ts;
-- error: would keep every row of the left side (ts) forever
