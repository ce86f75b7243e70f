-- Complete mode over running totals: the whole table after every batch, without the counts no key has any more.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory');
-- mode: complete
SELECT n, COUNT(*) AS keys, AVG(v) AS mean FROM (SELECT k, COUNT(*) AS n, MAX(v) AS v FROM s GROUP BY k) GROUP BY n;
-- data: s
a, 10, 2026-01-01 00:00:01
b, 20, 2026-01-01 00:00:02
-- data: s
a, 30, 2026-01-01 00:00:03
b, 40, 2026-01-01 00:00:04
c, 50, 2026-01-01 00:00:05
-- expect:
2, 2, 35
1, 1, 50
