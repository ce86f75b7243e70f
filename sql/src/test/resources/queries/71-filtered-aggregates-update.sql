-- Aggregates with FILTER (WHERE ...) in a running GROUP BY, update mode: each key's row as it changes; a key
-- whose rows all fail a filter still has its row, with COUNT 0 and NULL for SUM, MIN, MAX and AVG.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ok BOOLEAN, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT k, COUNT(*) AS n, COUNT(*) FILTER (WHERE ok) AS n_ok, SUM(v) FILTER (WHERE ok) AS total_ok, SUM(v) FILTER (WHERE NOT ok) AS total_not, MIN(v) FILTER (WHERE v > 1) AS lo, MAX(v) FILTER (WHERE ok AND v < 10) AS hi, AVG(v) FILTER (WHERE ok IS NOT NULL) AS mean FROM s GROUP BY k;
-- data: s
a, 1, true, 2026-01-01 00:00:01
b, 5, false, 2026-01-01 00:00:02
a, 3, null, 2026-01-01 00:00:03
-- data: s
a, 4, true, 2026-01-01 00:00:04
c, 1, false, 2026-01-01 00:00:05
-- data: s
b, 20, true, 2026-01-01 00:00:06
a, 12, false, 2026-01-01 00:00:07
-- expect:
a, 4, 2, 5, 12, 3, 4, 5
b, 2, 1, 20, 5, 5, null, 12
c, 1, 0, null, 1, null, null, 1
