-- An explicit CAST(v AS INT) become CAST(v AS BIGINT) is not a widening: the cast no longer cuts, so keys change.
-- before:
SELECT CAST(CAST(v AS INT) AS VARCHAR) AS key, COUNT(*) AS c FROM s GROUP BY CAST(CAST(v AS INT) AS VARCHAR)
-- after:
SELECT CAST(CAST(v AS BIGINT) AS VARCHAR) AS key, COUNT(*) AS c FROM s GROUP BY CAST(CAST(v AS BIGINT) AS VARCHAR)
