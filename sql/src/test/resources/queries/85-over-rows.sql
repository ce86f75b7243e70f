-- An OVER aggregation with a ROWS frame: each bid with the sum and count of its auction's last three bids in event
-- time (itself and the two before it). Bids come out of order within the watermark delay and are emitted in order
-- of time once the watermark passes them; a bid older than the watermark is dropped; the last bid (20 s) waits.
-- state-store: memory, rocksdb
CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT auction, price, ts, SUM(price) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS total, COUNT(*) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS n FROM bid;
-- data: bid
1, 10, 2026-01-01 00:00:01
2, 20, 2026-01-01 00:00:02
1, 11, 2026-01-01 00:00:04
1, 12, 2026-01-01 00:00:03
2, 21, 2026-01-01 00:00:06
-- data: bid
1, 13, 2026-01-01 00:00:09
1, 14, 2026-01-01 00:00:08
2, 22, 2026-01-01 00:00:10
1, 15, 2026-01-01 00:00:12
-- data: bid
1, 99, 2026-01-01 00:00:02
3, 30, 2026-01-01 00:00:20
-- expect:
1, 10, 2026-01-01 00:00:01, 10, 1
1, 12, 2026-01-01 00:00:03, 22, 2
1, 11, 2026-01-01 00:00:04, 33, 3
1, 14, 2026-01-01 00:00:08, 37, 3
1, 13, 2026-01-01 00:00:09, 38, 3
1, 15, 2026-01-01 00:00:12, 42, 3
2, 20, 2026-01-01 00:00:02, 20, 1
2, 21, 2026-01-01 00:00:06, 41, 2
2, 22, 2026-01-01 00:00:10, 63, 3
