-- EXISTS (SELECT ...) correlated on a key and a further condition: a bid passes, once, if its auction has a reserve
-- row that its price meets, however many such rows there are. The table is hashed on the key; the condition is
-- checked against that key's rows only.
CREATE STREAM bids (auction BIGINT, bidder VARCHAR, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT b.auction, b.bidder, b.price FROM bids b WHERE EXISTS (SELECT 1 FROM (VALUES (1, 100), (1, 500), (2, 50)) AS r(auction, reserve) WHERE r.auction = b.auction AND b.price >= r.reserve);
-- data: bids
1, ann, 90, 2026-01-01 00:00:01
1, bob, 150, 2026-01-01 00:00:02
2, cid, 50, 2026-01-01 00:00:03
-- data: bids
1, dan, 600, 2026-01-01 00:00:04
3, eve, 1000, 2026-01-01 00:00:05
2, fay, 49, 2026-01-01 00:00:06
null, gus, 700, 2026-01-01 00:00:07
-- expect:
1, bob, 150
2, cid, 50
1, dan, 600
