-- An aggregation over running totals: when a key's count changes, the outer aggregation takes the old count back
-- out (-U) and adds the new one (+U); a count that no key has any more is deleted from the result.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT n, COUNT(*) AS keys, SUM(total) AS total FROM (SELECT k, COUNT(*) AS n, SUM(v) AS total FROM s GROUP BY k) GROUP BY n;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
b, 4, 2026-01-01 00:00:04
-- data: s
c, 5, 2026-01-01 00:00:05
d, 6, 2026-01-01 00:00:06
d, 7, 2026-01-01 00:00:07
d, 8, 2026-01-01 00:00:08
-- expect:
1, 1, 5
2, 2, 10
3, 1, 21
