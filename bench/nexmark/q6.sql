-- Average selling price by seller: per seller, the average of the winning bids of its last 10 auctions (the
-- auction and the 10 before it, in order of the winning bid's time), kept up to date as winning bids change.
-- The Flink suite's text (which Flink cannot run: its OVER aggregation does not take retractions), with its
-- scoping made valid and the winning bid's ties broken by time as in q9.
SELECT Q.seller, AVG(Q.price) OVER
    (PARTITION BY Q.seller ORDER BY Q.dateTime ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS avg_price
FROM (
  SELECT id, seller, price, dateTime
  FROM (
    SELECT A.id, A.seller, B.price, B.dateTime,
      ROW_NUMBER() OVER (PARTITION BY A.id, A.seller ORDER BY B.price DESC, B.dateTime ASC) AS rownum
    FROM auction A, bid B
    WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
  )
  WHERE rownum <= 1
) Q
