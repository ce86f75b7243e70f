-- A temporal join (FOR SYSTEM_TIME AS OF): each order gets the rate of its currency that was in force at the
-- order's event time, from a versioned table (a stream with a primary key, whose rows are upserts). An order waits
-- until the watermark passes its time, since a rate of that time could still come; an order older than every rate
-- of its currency (GBP at 00:06) has none and, in an INNER join, is not emitted. A rate of the order's own time
-- (EUR at 00:09) is in force at that time. The watermark is the smaller of the two streams': the last order waits for
-- a watermark past 00:01:00, which never comes here.
-- state-store: memory, rocksdb
CREATE STREAM rates (currency VARCHAR, rate DOUBLE, ts TIMESTAMP(3), PRIMARY KEY (currency) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE STREAM orders (id INT, currency VARCHAR, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT o.id, o.currency, o.amount, r.rate, o.ts FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency;
-- data: rates
EUR, 1.5, 2026-01-01 00:00:00
USD, 1.0, 2026-01-01 00:00:00
-- data: orders
1, EUR, 10, 2026-01-01 00:00:02
2, USD, 5, 2026-01-01 00:00:03
-- data: rates
EUR, 2.0, 2026-01-01 00:00:05
-- data: orders
3, EUR, 10, 2026-01-01 00:00:04
4, EUR, 10, 2026-01-01 00:00:06
5, GBP, 7, 2026-01-01 00:00:06
-- data: rates
EUR, 2.5, 2026-01-01 00:00:09
GBP, 0.5, 2026-01-01 00:00:07
-- data: orders
6, GBP, 1, 2026-01-01 00:00:08
7, EUR, 1, 2026-01-01 00:00:09
8, EUR, 1, 2026-01-01 00:00:20
-- data: rates
JPY, 0.01, 2026-01-01 00:01:00
-- data: orders
9, JPY, 100, 2026-01-01 00:01:00
-- expect:
1, EUR, 10, 1.5, 2026-01-01 00:00:02
2, USD, 5, 1.0, 2026-01-01 00:00:03
3, EUR, 10, 1.5, 2026-01-01 00:00:04
4, EUR, 10, 2.0, 2026-01-01 00:00:06
6, GBP, 1, 0.5, 2026-01-01 00:00:08
7, EUR, 1, 2.5, 2026-01-01 00:00:09
8, EUR, 1, 2.5, 2026-01-01 00:00:20
