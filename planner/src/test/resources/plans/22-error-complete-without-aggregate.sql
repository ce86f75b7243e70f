-- complete mode needs an aggregation.
-- mode: complete
SELECT * FROM bid WHERE price > 1
