-- A tumbling window shifted by an offset.
SELECT window_start, COUNT(*)
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '1' HOUR, INTERVAL '15' MINUTE))
GROUP BY window_start, window_end
