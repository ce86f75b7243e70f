-- An interval join bounded by a column of one side: a bid joins its auction while the auction is open, from its
-- time to its expires. An auction is kept until the watermark passes its expires, a bid until it passes the bid's
-- own time; the output has no event time of its own then (no fixed bound keeps up with the watermark).
-- state-store: memory, rocksdb
CREATE STREAM auction (id BIGINT, item VARCHAR, ts TIMESTAMP(3), expires TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'memory');
CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'memory');
SELECT a.id, a.item, b.price FROM auction a LEFT JOIN bid b ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.expires;
-- data: auction
1, lamp, 2026-01-01 00:00:01, 2026-01-01 00:00:05
2, desk, 2026-01-01 00:00:02, 2026-01-01 00:00:30
-- data: bid
1, 10, 2026-01-01 00:00:03
1, 11, 2026-01-01 00:00:06
2, 20, 2026-01-01 00:00:04
-- data: auction
3, sofa, 2026-01-01 00:00:09, 2026-01-01 00:00:10
-- data: bid
2, 21, 2026-01-01 00:00:25
-- data: auction
4, vase, 2026-01-01 00:00:20, 2026-01-01 00:00:40
-- expect:
1, lamp, 10
2, desk, 20
2, desk, 21
3, sofa, null
