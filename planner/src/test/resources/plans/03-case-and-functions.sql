-- Scalar functions and CASE inside one Calc.
SELECT UPPER(channel), CHAR_LENGTH(url), CASE WHEN price > 1000 THEN 'high' ELSE 'low' END AS band FROM bid
