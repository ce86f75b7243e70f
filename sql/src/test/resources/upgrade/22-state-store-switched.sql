-- The same query with 'state-store' = 'rocksdb' on a checkpoint whose state the memory store wrote: refused, saying
-- which store wrote it.
-- state-store after: rocksdb
-- before:
SELECT k, COUNT(*) AS c FROM s GROUP BY k
-- after:
SELECT k, COUNT(*) AS c FROM s GROUP BY k
