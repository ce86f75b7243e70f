-- ORDER BY ... LIMIT in complete mode: the whole result sorted after every batch and its first 2 rows kept, a
-- Top-N of the running totals.
-- mode: complete
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT) WITH ('connector' = 'memory');
SELECT k, COUNT(*) AS n, SUM(v) AS total FROM s GROUP BY k ORDER BY total DESC LIMIT 2;
-- data: s
a, 1
b, 5
c, 2
-- data: s
a, 10
c, 1
-- expect:
a, 2, 11
b, 1, 5
