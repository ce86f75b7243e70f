-- HAVING and arithmetic over aggregates become a Calc after the aggregation.
SELECT channel, COUNT(*) * 2 AS twice FROM bid GROUP BY channel HAVING COUNT(*) > 10
