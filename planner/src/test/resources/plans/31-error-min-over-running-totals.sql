-- MIN cannot take a changed row back out.
-- mode: update
SELECT MIN(n) FROM (SELECT channel, COUNT(*) AS n FROM bid GROUP BY channel)
