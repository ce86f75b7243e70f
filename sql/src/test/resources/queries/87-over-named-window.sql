-- Several OVER aggregations over one named window without PARTITION BY (one partition): COUNT(*), COUNT, SUM, MIN,
-- MAX of a string and AVG (of integers, truncated) over each row and the two before it in event time. A null is
-- counted by COUNT(*) only; the least value is found again when it leaves the frame.
-- state-store: memory, rocksdb
CREATE STREAM t (item VARCHAR, qty INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '3' SECOND) WITH ('connector' = 'memory');
SELECT item, qty, COUNT(*) OVER w AS c, COUNT(qty) OVER w AS cq, SUM(qty) OVER w AS s, MIN(qty) OVER w AS lo, MAX(item) OVER w AS hi, AVG(qty) OVER w AS av FROM t WINDOW w AS (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW);
-- data: t
pear, 4, 2026-01-01 00:00:01
apple, null, 2026-01-01 00:00:02
fig, 7, 2026-01-01 00:00:03
-- data: t
kiwi, 1, 2026-01-01 00:00:05
date, 9, 2026-01-01 00:00:04
plum, 2, 2026-01-01 00:00:10
-- data: t
lime, 3, 2026-01-01 00:00:12
zucchini, 0, 2026-01-01 00:00:20
-- expect:
pear, 4, 1, 1, 4, 4, pear, 4
apple, null, 2, 1, 4, 4, pear, 4
fig, 7, 3, 2, 11, 4, pear, 5
date, 9, 3, 2, 16, 7, fig, 8
kiwi, 1, 3, 3, 17, 1, kiwi, 5
plum, 2, 3, 3, 12, 1, plum, 4
lime, 3, 3, 3, 6, 1, plum, 2
