-- String functions.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT UPPER(k) || '-' || LOWER('X') AS name, CHAR_LENGTH(k || k) AS len, SUBSTRING('freshet' FROM v FOR 2) AS part FROM s;
-- data: s
a, 1, 2026-01-01 00:00:01
b, 2, 2026-01-01 00:00:02
a, 3, 2026-01-01 00:00:03
-- data: s
c, 4, 2026-01-01 00:00:04
b, 5, 2026-01-01 00:00:06
-- expect:
A-x, 2, fr
B-x, 2, re
A-x, 2, es
C-x, 2, sh
B-x, 2, he
