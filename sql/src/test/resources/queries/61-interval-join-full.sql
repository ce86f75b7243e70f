-- A FULL OUTER JOIN bounded by event time: a row that never matched is emitted with nulls once the watermark (the
-- minimum over both streams) passes the last time a row of the other side could match it (an auction: its time
-- + 10 s; a bid: its own time), and not before: auction 4 (until 00:30) is still waiting at the end. A row that
-- matched, before or after a restart, is not emitted again with nulls.
-- state-store: memory, rocksdb
CREATE STREAM auction (id BIGINT, item VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT a.id, a.item, b.auction, b.price, b.ts FROM auction a FULL OUTER JOIN bid b ON b.auction = a.id AND b.ts >= a.ts AND b.ts <= a.ts + INTERVAL '10' SECOND;
-- data: auction
1, lamp, 2026-01-01 00:00:01
2, desk, 2026-01-01 00:00:03
-- data: bid
1, 10, 2026-01-01 00:00:02
3, 30, 2026-01-01 00:00:05
5, 50, 2026-01-01 00:00:22
-- data: auction
4, vase, 2026-01-01 00:00:20
5, chair, 2026-01-01 00:00:21
-- data: bid
9, 1, 2026-01-01 00:00:30
-- expect:
1, lamp, 1, 10, 2026-01-01 00:00:02
2, desk, null, null, null
null, null, 3, 30, 2026-01-01 00:00:05
5, chair, 5, 50, 2026-01-01 00:00:22
