-- Top-N over a window aggregation: the hottest auctions of each window.
SELECT * FROM (
  SELECT window_start, window_end, auction, num,
    RANK() OVER (PARTITION BY window_start, window_end ORDER BY num DESC) AS r
  FROM (
    SELECT window_start, window_end, auction, COUNT(*) AS num
    FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end, auction)
) WHERE r <= 5
