-- An OVER aggregation over running totals, ordered by the total: each key's place among its group's keys (COUNT)
-- and the sum of the totals up to it, kept up to date as totals change. The default frame is RANGE from the first
-- row, so keys of equal total are peers, each counting the other.
-- state-store: memory, rocksdb
CREATE STREAM s (g VARCHAR, k VARCHAR, v BIGINT) WITH ('connector' = 'memory');
-- mode: update
-- key: 2
SELECT g, k, total, COUNT(*) OVER w AS place, SUM(total) OVER w AS cumulative FROM (SELECT g, k, SUM(v) AS total FROM s GROUP BY g, k) WINDOW w AS (PARTITION BY g ORDER BY total);
-- data: s
x, a, 5
x, b, 3
y, c, 1
-- data: s
x, a, -4
x, d, 3
-- data: s
x, b, 2
y, e, 1
-- expect:
x, a, 1, 1, 1
x, d, 3, 2, 4
x, b, 5, 3, 9
y, c, 1, 2, 2
y, e, 1, 2, 2
