-- Three inputs: bids joined with their auction in an interval join, then with a static table of categories; and
-- a window aggregation over the result: window [20 s, 30 s) waits for the watermark, held back by the join.
-- state-store: memory, rocksdb
CREATE STREAM auction (id BIGINT, category INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'memory');
CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'memory');
WITH j AS (SELECT c.name, b.price, b.ts FROM auction a JOIN bid b ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' SECOND JOIN (VALUES (1, 'books'), (2, 'music')) AS c(id, name) ON a.category = c.id) SELECT window_start, name, COUNT(*) AS bids, MAX(price) AS top FROM TABLE(TUMBLE(TABLE j, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, name;
-- data: auction
1, 1, 2026-01-01 00:00:01
2, 2, 2026-01-01 00:00:02
3, 3, 2026-01-01 00:00:03
-- data: bid
1, 10, 2026-01-01 00:00:02
2, 20, 2026-01-01 00:00:04
3, 30, 2026-01-01 00:00:05
1, 11, 2026-01-01 00:00:09
-- data: auction
4, 1, 2026-01-01 00:00:25
-- data: bid
1, 12, 2026-01-01 00:00:10
4, 40, 2026-01-01 00:00:26
-- data: auction
5, 2, 2026-01-01 00:00:40
-- data: bid
5, 50, 2026-01-01 00:00:41
-- expect:
2026-01-01 00:00:00, books, 2, 11
2026-01-01 00:00:00, music, 1, 20
2026-01-01 00:00:10, books, 1, 12
