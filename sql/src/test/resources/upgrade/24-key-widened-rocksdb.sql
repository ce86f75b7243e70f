-- 19 with RocksDB state: the group keys v % 3 stay INT (MOD has its divisor's type), the values COUNT(DISTINCT v)
-- has seen are rewritten with v as BIGINT, and each entry is read in the layout its version recorded.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- state-store: rocksdb
-- before:
SELECT v % 3 AS bucket, COUNT(*) AS c, COUNT(DISTINCT v) AS d FROM s GROUP BY v % 3
-- after:
SELECT v % 3 AS bucket, COUNT(*) AS c, COUNT(DISTINCT v) AS d FROM s GROUP BY v % 3
