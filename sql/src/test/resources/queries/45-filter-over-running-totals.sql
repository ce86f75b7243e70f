-- A filter and projection between two aggregations pass the changes on: keys leave the outer count when their
-- count passes 2, and a total that no key has any more is deleted.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT big, COUNT(*) AS keys FROM (SELECT k, COUNT(*) > 2 AS big FROM s GROUP BY k HAVING COUNT(*) < 4) GROUP BY big;
-- data: s
a, 1, 2026-01-01 00:00:01
a, 1, 2026-01-01 00:00:02
b, 1, 2026-01-01 00:00:03
-- data: s
a, 1, 2026-01-01 00:00:04
c, 1, 2026-01-01 00:00:05
-- data: s
a, 1, 2026-01-01 00:00:06
b, 1, 2026-01-01 00:00:07
b, 1, 2026-01-01 00:00:08
-- expect:
false, 1
true, 1
