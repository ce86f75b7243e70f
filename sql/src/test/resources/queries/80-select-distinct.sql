-- SELECT DISTINCT over a stream without a window: each distinct row once, the first time it comes (an
-- aggregation without aggregate functions never changes a row it has emitted, so append mode takes it).
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory');
-- mode: append
SELECT DISTINCT k, v FROM s;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 1, 2026-01-01 00:00:03
null, 2, 2026-01-01 00:00:04
-- data: s
a, 1, 2026-01-01 00:00:05
a, 2, 2026-01-01 00:00:06
null, 2, 2026-01-01 00:00:07
b, null, 2026-01-01 00:00:08
-- data: s
b, null, 2026-01-01 00:00:09
b, 2, 2026-01-01 00:00:10
c, 3, 2026-01-01 00:00:11
-- expect:
a, 1
b, 2
null, 2
a, 2
b, null
c, 3
