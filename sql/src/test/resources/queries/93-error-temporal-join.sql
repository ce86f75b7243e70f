-- A temporal join (FOR SYSTEM_TIME AS OF) is refused with what works instead.
CREATE STREAM rates (currency VARCHAR, rate DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'memory');
CREATE STREAM orders (currency VARCHAR, amount DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'memory');
SELECT o.amount * r.rate FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency;
-- error: Temporal joins (FOR SYSTEM_TIME AS OF) are not supported yet
