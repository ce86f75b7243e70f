-- Session windows per key: the window and its aggregation fuse into one operator.
SELECT window_start, window_end, bidder, COUNT(*), SUM(price)
FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(`dateTime`), INTERVAL '5' SECOND))
GROUP BY window_start, window_end, bidder
