-- The training run of bin/build-jar.sh: statements that load the classes most starts need (parsing, planning a
-- windowed aggregate and a join, the nexmark and memory connectors, VALUES, expressions, output), so that the
-- class-data-sharing archive made from this run holds them. Its output is discarded.
CREATE STREAM bids WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '500',
                         'base-time' = '2026-01-01 00:00:00');
CREATE STREAM auctions WITH ('connector' = 'nexmark', 'table' = 'auction', 'events' = '500',
                             'base-time' = '2026-01-01 00:00:00');
SELECT auction, price, dateTime FROM bids WHERE MOD(auction, 7) = 0 AND price > 5000;
SELECT window_start, COUNT(*), MAX(price), SUM(price) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(dateTime),
  INTERVAL '10' SECOND)) GROUP BY window_start, window_end;
SELECT window_end, auction, AVG(price) FROM TABLE(HOP(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '2' SECOND,
  INTERVAL '10' SECOND)) GROUP BY window_start, window_end, auction;
SELECT a.category, COUNT(*) AS bids, MAX(b.price) AS top
  FROM auctions a JOIN bids b ON b.auction = a.id AND b.dateTime BETWEEN a.dateTime AND a.expires
  GROUP BY a.category;
SELECT b.auction, v.label, UPPER(b.channel), CAST(b.price AS DOUBLE) / 100, CASE WHEN b.price > 1000 THEN 'high' END
  FROM bids b JOIN (VALUES (1000, 'first'), (1001, 'second')) AS v(id, label) ON b.auction = v.id;
CREATE TABLE expensive WITH ('connector' = 'memory');
INSERT INTO expensive SELECT auction, price, dateTime FROM bids WHERE price > 10000000;
SELECT auction, price FROM expensive WHERE price > 20000000;
EXPLAIN SELECT auction, COUNT(*) FROM bids GROUP BY auction;
