-- A temporal join reads a versioned table: a stream with a primary key and event time. One without a primary key
-- is refused, saying how to declare one.
CREATE STREAM rates (currency VARCHAR, rate DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'memory');
CREATE STREAM orders (currency VARCHAR, amount DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'memory');
SELECT o.amount * r.rate FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency;
-- error: is not a versioned table, so FOR SYSTEM_TIME AS OF cannot look up its versions
