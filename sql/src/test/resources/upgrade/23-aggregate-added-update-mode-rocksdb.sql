-- An aggregate added in update mode with RocksDB state (14, the same query): each group's entry holds the hidden row
-- count after its aggregates, so the count moves after the new MAX, which starts empty.
-- state-store: rocksdb
-- before:
SELECT k, COUNT(*) AS c, COUNT(*) AS m FROM s GROUP BY k
-- after:
SELECT k, COUNT(*) AS c, MAX(v) AS m FROM s GROUP BY k
