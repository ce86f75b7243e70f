-- A misspelt column is named, with where it is and the closest column there is.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT kk FROM s;
-- error: No column named 'kk' (line 1, column 8) (did you mean k?)
