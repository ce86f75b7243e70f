-- A stream joined with itself (read once, its rows fed to both sides): bids on the same auction within 2 seconds
-- after another bid.
-- state-store: memory, rocksdb
CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory');
SELECT x.auction, x.price, y.price AS next_price FROM bid x JOIN bid y ON x.auction = y.auction AND y.ts > x.ts AND y.ts <= x.ts + INTERVAL '2' SECOND;
-- data: bid
1, 10, 2026-01-01 00:00:01
2, 20, 2026-01-01 00:00:01
1, 11, 2026-01-01 00:00:02
-- data: bid
1, 12, 2026-01-01 00:00:04
2, 21, 2026-01-01 00:00:05
-- data: bid
1, 13, 2026-01-01 00:00:05
-- expect:
1, 10, 11
1, 11, 12
1, 12, 13
