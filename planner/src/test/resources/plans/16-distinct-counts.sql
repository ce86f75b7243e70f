-- Exact and approximate distinct counts, MIN and MAX of strings.
SELECT window_start, COUNT(DISTINCT bidder), APPROX_COUNT_DISTINCT(auction), MIN(channel), MAX(url)
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
GROUP BY window_start, window_end
