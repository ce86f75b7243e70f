-- LIMIT over a stream: the first 3 rows (counted over every partition) across batches, then the query ends; rows
-- that come after are never emitted, also after a restart.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT) WITH ('connector' = 'memory');
SELECT k, v * 10 AS v10 FROM s WHERE v > 0 LIMIT 3;
-- data: s
a, 1
b, 0
c, 2
-- data: s
d, 3
e, -1
-- data: s
f, 5
-- data: s
g, 6
-- expect:
a, 10
c, 20
d, 30
