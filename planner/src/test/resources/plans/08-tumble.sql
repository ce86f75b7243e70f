-- A tumbling window: the window carries only the columns read; window_start follows from window_end.
SELECT window_start, window_end, channel, COUNT(*), SUM(price), MAX(price)
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, channel
