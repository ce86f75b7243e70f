-- A Top-N over running totals: the two keys with the most rows, kept up to date as counts change; a rank whose
-- row changes is replaced.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT rn, k, n FROM (SELECT k, n, ROW_NUMBER() OVER (ORDER BY n DESC) AS rn FROM (SELECT k, COUNT(*) AS n FROM s GROUP BY k)) WHERE rn <= 2;
-- data: s
a, 1, 2026-01-01 00:00:01
a, 1, 2026-01-01 00:00:02
b, 1, 2026-01-01 00:00:03
-- data: s
c, 1, 2026-01-01 00:00:04
c, 1, 2026-01-01 00:00:05
c, 1, 2026-01-01 00:00:06
-- data: s
b, 1, 2026-01-01 00:00:07
b, 1, 2026-01-01 00:00:08
b, 1, 2026-01-01 00:00:09
-- expect:
1, b, 4
2, c, 3
