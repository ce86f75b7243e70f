-- An aggregation without GROUP BY: one group, a single partition.
SELECT COUNT(*), MAX(price), MIN(url) FROM bid
