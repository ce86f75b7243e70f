-- A join on keys without a bound on event time (a stream without a watermark): a regular join, which keeps every
-- row (EXPLAIN warns of it).
SELECT * FROM bid b JOIN clicks c ON b.url = c.url
