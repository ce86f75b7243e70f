-- An OVER aggregation over a changelog keeps its rows up to date, which append output mode cannot give.
CREATE STREAM s (g VARCHAR, k VARCHAR, v BIGINT) WITH ('connector' = 'memory');
-- mode: append
SELECT g, k, total, COUNT(*) OVER (PARTITION BY g ORDER BY total) FROM (SELECT g, k, SUM(v) AS total FROM s GROUP BY g, k);
-- data: s
x, a, 5
-- error: Append output mode cannot give an OVER aggregation over the changing rows of the aggregation
