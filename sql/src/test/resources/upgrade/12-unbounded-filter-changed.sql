-- The filter of a running count changed: counts go on from where they were.
-- before:
SELECT k, COUNT(*) AS c FROM s WHERE v > 1 GROUP BY k
-- after:
SELECT k, COUNT(*) AS c FROM s WHERE v > 2 GROUP BY k
