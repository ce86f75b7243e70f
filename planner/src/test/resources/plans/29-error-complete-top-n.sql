-- complete mode needs the query to end in an aggregation.
-- mode: complete
SELECT * FROM (
  SELECT window_start, auction, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
  FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))) WHERE rn <= 1
