-- A widened column with RocksDB state: refused for now, saying so.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- state-store: rocksdb
-- before:
SELECT k, SUM(v) AS total FROM s GROUP BY k
-- after:
SELECT k, SUM(v) AS total FROM s GROUP BY k
