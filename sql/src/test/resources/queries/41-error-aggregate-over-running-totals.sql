-- An aggregation over running totals needs retractions, not there yet.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT n, COUNT(*) FROM (SELECT k, COUNT(*) AS n FROM s GROUP BY k) GROUP BY n;
-- error: Freshet cannot retract rows from the second one yet
