-- Word count: split, then an unbounded aggregation in update mode (the default).
SELECT word, COUNT(*) AS n FROM lines CROSS JOIN UNNEST(SPLIT(line, ' ')) AS t(word) GROUP BY word
