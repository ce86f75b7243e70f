-- An OVER aggregation over a changelog (Nexmark q6's shape): each auction's winning bid (a Top-1 that changes as
-- higher bids come), then per seller the average of the winning prices of its last two auctions in order of the
-- winning bid's time. A new winner moves its auction in its seller's order and changes the rows after it.
-- state-store: memory, rocksdb
CREATE STREAM bid (auction BIGINT, seller BIGINT, price BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory');
-- mode: update
-- key: 2
SELECT seller, auction, price, AVG(price) OVER w AS avg2, COUNT(*) OVER w AS n FROM (SELECT auction, seller, price, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction, seller ORDER BY price DESC, ts ASC) AS rn FROM bid) WHERE rn = 1) WINDOW w AS (PARTITION BY seller ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW);
-- data: bid
1, 100, 10, 2026-01-01 00:00:01
2, 100, 20, 2026-01-01 00:00:02
3, 200, 5, 2026-01-01 00:00:03
-- data: bid
1, 100, 30, 2026-01-01 00:00:04
3, 200, 4, 2026-01-01 00:00:05
-- data: bid
4, 100, 40, 2026-01-01 00:00:06
-- expect:
100, 2, 20, 20, 1
100, 1, 30, 25, 2
100, 4, 40, 35, 2
200, 3, 5, 5, 1
