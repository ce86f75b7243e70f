-- update mode (hidden counter), key widened, COUNT(DISTINCT) kept, aggregate added
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- before:
SELECT v / 3 AS third, COUNT(DISTINCT k) AS d, COUNT(*) AS c, COUNT(*) AS m FROM s GROUP BY v / 3
-- after:
SELECT v / 3 AS third, COUNT(DISTINCT k) AS d, COUNT(*) AS c, MAX(v) AS m FROM s GROUP BY v / 3
