-- An aggregation over an unbounded aggregation reads its changelog and takes changed rows back out.
-- mode: update
SELECT n, COUNT(*) AS channels FROM (SELECT channel, COUNT(*) AS n FROM bid GROUP BY channel) GROUP BY n
