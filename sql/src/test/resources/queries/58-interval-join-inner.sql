-- An interval join: each bid joins the auction of its id whose time is at most 10 seconds before it. Rows come
-- out of order within the watermark delay and match across batches; a bid that comes before its auction is
-- kept until the auction comes.
-- state-store: memory, rocksdb
CREATE STREAM auction (id BIGINT, item VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT a.id, a.item, b.price, b.ts FROM auction a JOIN bid b ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' SECOND;
-- data: auction
1, lamp, 2026-01-01 00:00:01
2, desk, 2026-01-01 00:00:03
-- data: bid
1, 10, 2026-01-01 00:00:02
2, 20, 2026-01-01 00:00:02
1, 11, 2026-01-01 00:00:11
-- data: bid
3, 30, 2026-01-01 00:00:09
1, 12, 2026-01-01 00:00:12
2, 21, 2026-01-01 00:00:13
-- data: auction
3, sofa, 2026-01-01 00:00:08
-- data: bid
3, 31, 2026-01-01 00:00:19
3, 32, 2026-01-01 00:00:17
-- expect:
1, lamp, 10, 2026-01-01 00:00:02
1, lamp, 11, 2026-01-01 00:00:11
2, desk, 21, 2026-01-01 00:00:13
3, sofa, 30, 2026-01-01 00:00:09
3, sofa, 32, 2026-01-01 00:00:17
