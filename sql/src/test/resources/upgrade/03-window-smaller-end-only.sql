-- A 5 s window instead of 10 s, with only window_end selected: the size is seen below the aggregation.
-- before:
SELECT window_end, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_end, k
-- after:
SELECT window_end, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_end, k
