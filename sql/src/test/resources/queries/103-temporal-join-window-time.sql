-- A temporal join of a window aggregation's rows, AS OF their window_time: each window's total gets the rate in
-- force at the window's last millisecond (EUR 3 at 00:09 for the first window, EUR 4 at 00:10 for the second).
CREATE STREAM rates (currency VARCHAR, rate INT, ts TIMESTAMP(3), PRIMARY KEY (currency) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory');
CREATE STREAM orders (currency VARCHAR, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory');
WITH w AS (SELECT currency, window_time AS wt, SUM(amount) AS total FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY currency, window_start, window_end, window_time) SELECT w.currency, w.total, r.rate FROM w JOIN rates FOR SYSTEM_TIME AS OF w.wt AS r ON w.currency = r.currency;
-- data: rates
EUR, 2, 2026-01-01 00:00:00
-- data: orders
EUR, 10, 2026-01-01 00:00:01
EUR, 5, 2026-01-01 00:00:08
-- data: rates
EUR, 3, 2026-01-01 00:00:09
EUR, 4, 2026-01-01 00:00:10
-- data: orders
EUR, 1, 2026-01-01 00:00:15
-- data: rates
EUR, 5, 2026-01-01 00:01:00
-- data: orders
EUR, 1, 2026-01-01 00:01:00
-- expect:
EUR, 15, 3
EUR, 1, 4
