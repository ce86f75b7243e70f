-- An OVER aggregation with a RANGE frame: each reading with the count, sum and least of its sensor's readings of the
-- last 10 seconds, both ends included. Readings of equal time are peers that include each other and are emitted
-- together, even when one comes in a later batch (a@5 s with 4 comes before the watermark reaches 5 s); the reading
-- at 15 s still reaches back to 5 s, the one at 16 s no longer does.
-- state-store: memory, rocksdb
CREATE STREAM r (sensor VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'memory');
SELECT sensor, v, ts, COUNT(*) OVER (PARTITION BY sensor ORDER BY ts RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW) AS n, SUM(v) OVER (PARTITION BY sensor ORDER BY ts RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW) AS total, MIN(v) OVER (PARTITION BY sensor ORDER BY ts RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW) AS least FROM r;
-- data: r
a, 1, 2026-01-01 00:00:05
b, 7, 2026-01-01 00:00:05
a, 2, 2026-01-01 00:00:06
-- data: r
a, 4, 2026-01-01 00:00:05
a, 8, 2026-01-01 00:00:15
-- data: r
a, 16, 2026-01-01 00:00:16
b, 9, 2026-01-01 00:00:17
a, 32, 2026-01-01 00:00:25
-- expect:
a, 1, 2026-01-01 00:00:05, 2, 5, 1
a, 4, 2026-01-01 00:00:05, 2, 5, 1
a, 2, 2026-01-01 00:00:06, 3, 7, 1
a, 8, 2026-01-01 00:00:15, 4, 15, 1
a, 16, 2026-01-01 00:00:16, 3, 26, 2
b, 7, 2026-01-01 00:00:05, 1, 7, 7
b, 9, 2026-01-01 00:00:17, 1, 9, 9
