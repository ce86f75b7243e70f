-- NOT EXISTS (SELECT ...) with a correlated time range: an order passes when no promotion of its product was in
-- force at the order's time. A NULL product matches no row, so (unlike NOT IN) its order passes.
CREATE STREAM orders (id BIGINT, product VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT o.id, o.product FROM orders o WHERE NOT EXISTS (SELECT 1 FROM (VALUES ('tea', TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 00:00:10'), ('tea', TIMESTAMP '2026-01-01 00:00:20', TIMESTAMP '2026-01-01 00:00:30'), ('jam', TIMESTAMP '2026-01-01 00:00:05', TIMESTAMP '2026-01-01 00:00:15')) AS p(product, starts, ends) WHERE p.product = o.product AND o.ts BETWEEN p.starts AND p.ends);
-- data: orders
1, tea, 2026-01-01 00:00:02
2, jam, 2026-01-01 00:00:03
3, tea, 2026-01-01 00:00:12
-- data: orders
4, jam, 2026-01-01 00:00:11
5, tea, 2026-01-01 00:00:25
6, null, 2026-01-01 00:00:26
7, oil, 2026-01-01 00:00:27
8, jam, 2026-01-01 00:00:16
-- expect:
2, jam
3, tea
6, null
7, oil
8, jam
