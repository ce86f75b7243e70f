-- The filter between a running count and an aggregation over it changed: the second reads a changelog, whose
-- retractions the new filter would not match with what the old one let in; refused.
-- before:
SELECT c AS k, COUNT(*) AS n FROM (SELECT k, COUNT(*) AS c FROM s GROUP BY k) WHERE c < 2 GROUP BY c
-- after:
SELECT c AS k, COUNT(*) AS n FROM (SELECT k, COUNT(*) AS c FROM s GROUP BY k) WHERE c < 10 GROUP BY c
