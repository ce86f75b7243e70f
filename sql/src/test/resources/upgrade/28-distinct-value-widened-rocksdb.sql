-- 27 with RocksDB state: the (group, call, value) keys of the distinct values are rewritten with the value as BIGINT,
-- so c's value 2 after the change finds the one before it.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- state-store: rocksdb
-- before:
SELECT k, COUNT(*) AS c, COUNT(DISTINCT v / 3) AS d FROM s GROUP BY k
-- after:
SELECT k, COUNT(*) AS c, COUNT(DISTINCT v / 3) AS d FROM s GROUP BY k
