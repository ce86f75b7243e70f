-- A window over a window aggregation's window_time: the inner one emits final rows.
WITH w AS (
  SELECT window_time AS wt, auction, COUNT(*) AS n
  FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
  GROUP BY window_start, window_end, window_time, auction)
SELECT window_start, window_end, MAX(n)
FROM TABLE(TUMBLE(TABLE w, DESCRIPTOR(wt), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end
