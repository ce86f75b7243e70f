-- A Top-N without a window over running totals: it takes changed rows back and keeps the best N up to date.
-- mode: update
SELECT channel, n, rn FROM (SELECT channel, n, ROW_NUMBER() OVER (ORDER BY n DESC) AS rn FROM (SELECT channel, COUNT(*) AS n FROM bid GROUP BY channel)) WHERE rn <= 3
