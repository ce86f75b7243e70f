-- MIN cannot take a changed row back out without keeping every value.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory');
-- mode: update
-- key: 0
SELECT COUNT(*), MIN(n) FROM (SELECT k, COUNT(*) AS n FROM s GROUP BY k);
-- error: MIN cannot take a changed row back out
