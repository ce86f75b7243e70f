-- IN (SELECT ...) over a static table (here VALUES) passes each bid of a listed auction once, as it comes, however
-- many table rows match it; a bid whose auction is NULL is in no set. The bids keep their event time, so a window
-- aggregation follows the filter and closes with the watermark.
-- state-store: memory, rocksdb
CREATE STREAM bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
WITH hot AS (SELECT * FROM bids WHERE auction IN (SELECT id FROM (VALUES (1), (3), (3), (7)) AS t(id) WHERE id < 5)) SELECT window_start, auction, COUNT(*) AS n, SUM(price) AS total FROM TABLE(TUMBLE(TABLE hot, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, auction;
-- data: bids
1, 10, 2026-01-01 00:00:01
2, 20, 2026-01-01 00:00:02
3, 30, 2026-01-01 00:00:03
null, 40, 2026-01-01 00:00:04
7, 50, 2026-01-01 00:00:05
-- data: bids
3, 5, 2026-01-01 00:00:09
1, 7, 2026-01-01 00:00:12
2, 1, 2026-01-01 00:00:13
-- data: bids
1, 2, 2026-01-01 00:00:09
-- data: bids
4, 1, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, 1, 2, 12
2026-01-01 00:00:00, 3, 2, 35
2026-01-01 00:00:10, 1, 1, 7
