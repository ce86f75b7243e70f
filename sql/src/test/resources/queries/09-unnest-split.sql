-- CROSS JOIN UNNEST(SPLIT(...)): a row per word.
CREATE STREAM s (line VARCHAR) WITH ('connector' = 'memory');
SELECT word FROM s CROSS JOIN UNNEST(SPLIT(line, ' ')) AS t(word) WHERE word <> 'the';
-- data: s
the cat
the dog and the cat
-- data: s
a dog
-- expect:
cat
dog
and
cat
a
dog
