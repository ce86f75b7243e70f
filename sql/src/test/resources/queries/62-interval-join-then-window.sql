-- A window aggregation over an interval join: the join holds the watermark back by its longest bound (10 s), so
-- that a pair made when a bid comes for an auction older than the watermark (auction 1, at 00:08, when the
-- watermark is 00:14) is not taken for a late row by the window after it, and each
-- window is emitted once, complete, in append mode.
-- state-store: memory, rocksdb
CREATE STREAM auction (id BIGINT, item VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
WITH j AS (SELECT a.item, b.price, a.ts FROM auction a JOIN bid b ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' SECOND) SELECT window_start, COUNT(*) AS bids, SUM(price) AS total FROM TABLE(TUMBLE(TABLE j, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;
-- data: auction
1, lamp, 2026-01-01 00:00:08
-- data: bid
1, 10, 2026-01-01 00:00:09
9, 0, 2026-01-01 00:00:20
-- data: auction
2, desk, 2026-01-01 00:00:19
-- data: bid
1, 11, 2026-01-01 00:00:17
2, 20, 2026-01-01 00:00:21
-- data: auction
3, sofa, 2026-01-01 00:00:50
-- data: bid
3, 30, 2026-01-01 00:00:52
-- expect:
2026-01-01 00:00:00, 2, 21
2026-01-01 00:00:10, 1, 20
