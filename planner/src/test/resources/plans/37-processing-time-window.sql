-- Processing-time windows: PROCTIME() in a projection, a tumbling window over it and the aggregation that closes it
-- follow the clock (marked "processing time"), so an input without a watermark may be windowed in append mode.
WITH c AS (SELECT userId, PROCTIME() AS p_time FROM clicks)
SELECT userId, COUNT(*) AS n, window_start, window_end
FROM TABLE(TUMBLE(TABLE c, DESCRIPTOR(p_time), INTERVAL '10' SECOND))
GROUP BY userId, window_start, window_end
