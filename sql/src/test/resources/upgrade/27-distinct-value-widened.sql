-- COUNT(DISTINCT v / 3) over a widened column, in update mode: the distinct values the state holds are read as
-- BIGINT, so c's value 2 (v = 8) after the change is the one it saw before (v = 6), not a new one.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- before:
SELECT k, COUNT(*) AS c, COUNT(DISTINCT v / 3) AS d FROM s GROUP BY k
-- after:
SELECT k, COUNT(*) AS c, COUNT(DISTINCT v / 3) AS d FROM s GROUP BY k
