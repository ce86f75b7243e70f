-- A Top-N without a window over a stream: each key's two largest values so far.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory');
-- mode: update
-- key: 2
SELECT k, r, v FROM (SELECT k, v, RANK() OVER (PARTITION BY k ORDER BY v DESC) AS r FROM s) WHERE r <= 2;
-- data: s
a, 5, 2026-01-01 00:00:01
a, 3, 2026-01-01 00:00:02
b, 1, 2026-01-01 00:00:03
-- data: s
a, 9, 2026-01-01 00:00:04
b, 7, 2026-01-01 00:00:05
a, 4, 2026-01-01 00:00:06
-- expect:
a, 1, 9
a, 2, 5
b, 1, 7
b, 2, 1
