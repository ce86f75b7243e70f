-- complete mode: the aggregation emits every group after each batch.
-- mode: complete
SELECT channel, COUNT(*), SUM(price), AVG(price) FROM bid GROUP BY channel
