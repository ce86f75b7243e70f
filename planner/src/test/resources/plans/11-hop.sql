-- A hopping window: each row in size/slide windows.
SELECT window_start, window_end, auction, COUNT(*)
FROM TABLE(HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY window_start, window_end, auction
