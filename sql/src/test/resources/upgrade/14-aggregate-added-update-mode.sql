-- An aggregate added to a running count in update mode (which also keeps a hidden row count per group): the groups
-- keep their counts, the new MAX starts empty in them.
-- before:
SELECT k, COUNT(*) AS c, COUNT(*) AS m FROM s GROUP BY k
-- after:
SELECT k, COUNT(*) AS c, MAX(v) AS m FROM s GROUP BY k
