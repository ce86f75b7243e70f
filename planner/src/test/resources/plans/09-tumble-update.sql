-- The same window aggregation in update mode: changed rows, upserts by key.
-- mode: update
SELECT window_start, window_end, channel, COUNT(*)
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, channel
