-- A key cast through DOUBLE instead of INT: the same VARCHAR type, other values ('1.0' and '1'); refused.
-- before:
SELECT CAST(CAST(v AS DOUBLE) AS VARCHAR) AS k, COUNT(*) AS c FROM s GROUP BY CAST(CAST(v AS DOUBLE) AS VARCHAR)
-- after:
SELECT CAST(CAST(v AS INT) AS VARCHAR) AS k, COUNT(*) AS c FROM s GROUP BY CAST(CAST(v AS INT) AS VARCHAR)
