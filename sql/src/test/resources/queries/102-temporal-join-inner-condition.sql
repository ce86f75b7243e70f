-- An INNER temporal join whose ON clause also tests the stream's own columns: a row needs a version of its key
-- and the condition; order 1 (GBP, no rate at all) and order 4 (EUR, before EUR's first rate) have no version,
-- and order 3 fails the condition.
-- state-store: memory, rocksdb
CREATE STREAM rates (currency VARCHAR, rate DOUBLE, ts TIMESTAMP(3), PRIMARY KEY (currency) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE STREAM orders (id INT, currency VARCHAR, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT o.id, r.rate FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency AND o.amount > 5;
-- data: rates
EUR, 1.5, 2026-01-01 00:00:10
-- data: orders
1, GBP, 10, 2026-01-01 00:00:12
2, EUR, 10, 2026-01-01 00:00:13
3, EUR, 1, 2026-01-01 00:00:13
4, EUR, 10, 2026-01-01 00:00:09
-- data: rates
EUR, 2.0, 2026-01-01 00:01:00
-- data: orders
9, EUR, 1, 2026-01-01 00:01:00
-- expect:
2, 1.5
