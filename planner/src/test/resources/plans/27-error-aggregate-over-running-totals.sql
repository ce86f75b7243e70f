-- An aggregation over an unbounded aggregation needs retractions.
-- mode: update
SELECT n, COUNT(*) FROM (SELECT channel, COUNT(*) AS n FROM bid GROUP BY channel) GROUP BY n
