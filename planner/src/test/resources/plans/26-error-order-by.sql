-- ORDER BY on a stream is refused.
SELECT * FROM bid ORDER BY price
