-- A window aggregation over a temporal join: the join emits an order when the watermark passes its time and keeps
-- the order's time as event time, so each tumbling window of converted amounts is emitted once, complete, in
-- append mode.
-- state-store: memory, rocksdb
CREATE STREAM rates (currency VARCHAR, rate INT, ts TIMESTAMP(3), PRIMARY KEY (currency) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '3' SECOND) WITH ('connector' = 'memory');
CREATE STREAM orders (currency VARCHAR, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '3' SECOND) WITH ('connector' = 'memory');
WITH converted AS (SELECT o.ts, o.amount * r.rate AS value FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency) SELECT window_start, COUNT(*) AS orders, SUM(value) AS total FROM TABLE(TUMBLE(TABLE converted, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;
-- data: rates
EUR, 2, 2026-01-01 00:00:00
USD, 1, 2026-01-01 00:00:00
-- data: orders
EUR, 10, 2026-01-01 00:00:01
USD, 10, 2026-01-01 00:00:08
-- data: rates
EUR, 3, 2026-01-01 00:00:09
USD, 5, 2026-01-01 00:00:12
-- data: orders
EUR, 10, 2026-01-01 00:00:09
EUR, 1, 2026-01-01 00:00:11
USD, 1, 2026-01-01 00:00:13
-- data: rates
EUR, 4, 2026-01-01 00:00:30
-- data: orders
EUR, 100, 2026-01-01 00:00:31
-- data: rates
USD, 1, 2026-01-01 00:01:00
-- data: orders
USD, 1, 2026-01-01 00:01:00
-- expect:
2026-01-01 00:00:00, 3, 60
2026-01-01 00:00:10, 2, 8
2026-01-01 00:00:30, 1, 400
