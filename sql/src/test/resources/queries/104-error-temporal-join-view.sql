-- FOR SYSTEM_TIME AS OF reads a versioned stream by its name; a view of one is refused, saying so.
CREATE STREAM rates (currency VARCHAR, rate DOUBLE, ts TIMESTAMP(3), PRIMARY KEY (currency) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE STREAM orders (id INT, currency VARCHAR, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE VIEW good_rates AS SELECT * FROM rates WHERE rate > 0;
SELECT o.id, r.rate FROM orders o JOIN good_rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency;
-- error: not a view or a subquery
