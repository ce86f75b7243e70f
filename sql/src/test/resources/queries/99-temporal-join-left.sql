-- A LEFT temporal join with a condition on the version: every order comes out once, with the rate in force at its
-- time when that rate passes the condition (rate < 3) and with nulls when its currency had no rate yet (GBP at
-- 00:01) or the rate in force fails it (EUR at 00:07, when the rate is 3.5). The condition tests the version in
-- force, not an older one that would pass.
-- state-store: memory, rocksdb
CREATE STREAM rates (currency VARCHAR PRIMARY KEY NOT ENFORCED, rate DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'memory');
CREATE STREAM orders (id INT, currency VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'memory');
SELECT o.id, o.currency, r.rate FROM orders o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON r.currency = o.currency AND r.rate < 3;
-- data: rates
EUR, 1.5, 2026-01-01 00:00:00
-- data: orders
1, EUR, 2026-01-01 00:00:01
2, GBP, 2026-01-01 00:00:01
-- data: rates
EUR, 3.5, 2026-01-01 00:00:06
GBP, 0.5, 2026-01-01 00:00:04
-- data: orders
3, GBP, 2026-01-01 00:00:05
4, EUR, 2026-01-01 00:00:07
5, EUR, 2026-01-01 00:00:05
-- data: rates
EUR, 1.0, 2026-01-01 00:00:10
-- data: orders
6, EUR, 2026-01-01 00:00:11
7, null, 2026-01-01 00:00:11
-- data: rates
EUR, 1.0, 2026-01-01 00:01:00
-- data: orders
8, EUR, 2026-01-01 00:01:00
-- expect:
1, EUR, 1.5
2, GBP, null
3, GBP, 0.5
4, EUR, null
5, EUR, 1.5
6, EUR, 1.0
7, null, null
