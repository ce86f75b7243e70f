-- The window Top-N keeps the top 2 instead of the top 1.
-- before:
SELECT window_start, k, v FROM (SELECT window_start, k, v, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS r FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE r <= 1
-- after:
SELECT window_start, k, v FROM (SELECT window_start, k, v, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS r FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE r <= 2
