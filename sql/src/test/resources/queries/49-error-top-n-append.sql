-- A Top-N without a window changes its rows, so append mode cannot give it.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory');
-- mode: append
SELECT k, v, rn FROM (SELECT k, v, ROW_NUMBER() OVER (ORDER BY v DESC) AS rn FROM s) WHERE rn <= 3;
-- error: Append output mode cannot give a Top-N without a window
