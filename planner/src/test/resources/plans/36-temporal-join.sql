-- A LEFT temporal join: both inputs hashed on the versioned table's primary key, the rest of the ON clause a
-- condition on a row and its version, and the order's time kept as event time for the window after it.
WITH j AS (SELECT o.ts, o.amount * r.rate AS v FROM orders o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON r.currency = o.currency AND r.rate > 0.5)
SELECT window_start, SUM(v) FROM TABLE(TUMBLE(TABLE j, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end
