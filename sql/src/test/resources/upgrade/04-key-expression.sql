-- The GROUP BY key computed differently, within its type: old and new keys would mix.
-- before:
SELECT k, COUNT(*) AS c FROM s GROUP BY k
-- after:
SELECT UPPER(k) AS k, COUNT(*) AS c FROM s GROUP BY UPPER(k)
