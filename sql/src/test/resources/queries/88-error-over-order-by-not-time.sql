-- An OVER aggregation must be ordered by the input's event time, since each row is emitted once the watermark passes
-- its time: ORDER BY another column is refused with the column to use instead.
CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT auction, SUM(price) OVER (PARTITION BY auction ORDER BY price ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM bid;
-- data: bid
1, 10, 2026-01-01 00:00:01
-- error: price is not event time: write ORDER BY ts
