-- CROSS JOIN UNNEST(SPLIT(...)) becomes a Split between two Calcs.
SELECT word FROM lines CROSS JOIN UNNEST(SPLIT(line, ' ')) AS t(word)
