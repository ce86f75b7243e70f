-- An aggregation where there was none: it would start in the middle of the stream.
-- before:
SELECT ts AS window_start, k, v AS c FROM s
-- after:
SELECT window_start, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
