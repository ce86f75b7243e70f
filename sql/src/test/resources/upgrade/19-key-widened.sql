-- The stream's column v declared BIGINT where it was INT, and v is a key of an unbounded aggregation: the keys the
-- state holds are read as BIGINT, so a row of v = 4 after the change counts with those before it.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- before:
SELECT v % 3 AS bucket, COUNT(*) AS c, COUNT(DISTINCT v) AS d FROM s GROUP BY v % 3
-- after:
SELECT v % 3 AS bucket, COUNT(*) AS c, COUNT(DISTINCT v) AS d FROM s GROUP BY v % 3
