-- A filter below the window runs before it.
WITH expensive AS (SELECT * FROM bid WHERE price > 10)
SELECT window_end, COUNT(*)
FROM TABLE(TUMBLE(TABLE expensive, DESCRIPTOR(`dateTime`), INTERVAL '5' SECOND))
GROUP BY window_start, window_end
