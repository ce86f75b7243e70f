-- Session windows in update mode emit the sessions each batch changed, as a changelog.
-- mode: update
SELECT window_start, window_end, bidder, COUNT(*)
FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(`dateTime`), INTERVAL '5' SECOND))
GROUP BY window_start, window_end, bidder
