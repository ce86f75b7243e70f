-- A join of a stream without event time cannot be bounded: refused, saying what to declare.
CREATE STREAM auction (id BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory');
CREATE STREAM bid (auction BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT * FROM auction a JOIN bid b ON a.id = b.auction AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '1' MINUTE;
-- error: the left input has no column with a watermark
