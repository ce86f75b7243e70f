-- Deduplication keeping each key's last row by event time (ORDER BY ts DESC, rn <= 1, rn selected): an update
-- stream keyed by k. A row of an earlier time than the key's row (a at 00:00:02) changes nothing; of equal times
-- the later row wins (b, 7). It needs no watermark, and keeps one row per key.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT k, v, ts, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS rn FROM s) WHERE rn <= 1;
-- data: s
a, 1, 2026-01-01 00:00:03
b, 2, 2026-01-01 00:00:06
a, 3, 2026-01-01 00:00:05
-- data: s
a, 4, 2026-01-01 00:00:02
b, 5, 2026-01-01 00:00:09
-- data: s
c, 6, 2026-01-01 00:00:01
b, 7, 2026-01-01 00:00:09
a, 8, 2026-01-01 00:00:30
-- expect:
a, 8, 2026-01-01 00:00:30, 1
b, 7, 2026-01-01 00:00:09, 1
c, 6, 2026-01-01 00:00:01, 1
