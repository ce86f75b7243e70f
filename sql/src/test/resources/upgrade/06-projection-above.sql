-- The projection after the aggregation changed: no state depends on it.
-- before:
SELECT window_start, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
-- after:
SELECT window_start, UPPER(k) AS k, COUNT(*) * 10 AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
