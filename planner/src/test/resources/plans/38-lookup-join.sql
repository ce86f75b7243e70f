-- A lookup join: FOR SYSTEM_TIME AS OF a processing time over a static table is the stream-static join, its key
-- expression computed on the stream's side.
SELECT c.userId, s.amount
FROM (SELECT *, PROCTIME() AS p FROM clicks) c JOIN sales FOR SYSTEM_TIME AS OF c.p AS s ON UPPER(c.userId) = s.product
