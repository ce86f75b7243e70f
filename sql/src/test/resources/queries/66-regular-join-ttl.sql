-- A join without a bound on event time (Flink's regular join) with 'state.ttl': each row is kept for 10 s of event
-- time after its own and then dropped, so a bid for auction 1 at 00:40 no longer finds it.
-- state-store: memory, rocksdb
SET 'state.ttl' = '10 s';
CREATE STREAM auction (id BIGINT, item VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT a.id, a.item, b.price FROM auction a JOIN bid b ON a.id = b.auction;
-- data: auction
1, lamp, 2026-01-01 00:00:01
-- data: bid
1, 10, 2026-01-01 00:00:05
-- data: auction
9, vase, 2026-01-01 00:00:30
-- data: bid
9, 90, 2026-01-01 00:00:31
-- data: bid
1, 11, 2026-01-01 00:00:40
-- expect:
1, lamp, 10
9, vase, 90
