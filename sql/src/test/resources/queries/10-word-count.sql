-- Word count: running totals in update mode.
-- state-store: memory, rocksdb
CREATE STREAM s (line VARCHAR) WITH ('connector' = 'memory');
-- mode: update
-- key: 1
SELECT word, COUNT(*) AS n FROM s CROSS JOIN UNNEST(SPLIT(line, ' ')) AS t(word) GROUP BY word;
-- data: s
the cat
the dog and the cat
-- data: s
a dog
-- expect:
the, 3
cat, 2
dog, 2
and, 1
a, 1
