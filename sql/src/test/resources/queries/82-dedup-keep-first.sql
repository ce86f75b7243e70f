-- Deduplication keeping each key's first row by event time (ROW_NUMBER() ... ORDER BY ts ASC, rn = 1): an append
-- result. A row waits until the watermark (5 s behind) reaches its time, so a later-arriving row of an earlier time
-- (b at 00:00:04 after b at 00:00:06) still wins; once emitted, the key keeps only a marker and its later rows are
-- dropped (a at 00:00:20), as is the late row c at 00:00:01.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: append
SELECT k, v, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) AS rn FROM s) WHERE rn = 1;
-- data: s
a, 1, 2026-01-01 00:00:03
b, 2, 2026-01-01 00:00:06
a, 3, 2026-01-01 00:00:02
-- data: s
b, 4, 2026-01-01 00:00:04
a, 5, 2026-01-01 00:00:09
-- data: s
c, 6, 2026-01-01 00:00:12
a, 7, 2026-01-01 00:00:20
-- data: s
c, 8, 2026-01-01 00:00:01
b, 9, 2026-01-01 00:00:15
c, 10, 2026-01-01 00:00:14
-- data: s
d, 11, 2026-01-01 00:00:40
-- expect:
a, 3, 2026-01-01 00:00:02
b, 4, 2026-01-01 00:00:04
c, 6, 2026-01-01 00:00:12
