-- ORDER BY a column that is not the event time is refused in append mode, with what works instead.
SELECT * FROM bid ORDER BY price
