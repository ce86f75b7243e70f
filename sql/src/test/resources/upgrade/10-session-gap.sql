-- A session gap of 10 s instead of 5 s.
-- before:
SELECT k, window_start, window_end, COUNT(*) AS c FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY k, window_start, window_end
-- after:
SELECT k, window_start, window_end, COUNT(*) AS c FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end
