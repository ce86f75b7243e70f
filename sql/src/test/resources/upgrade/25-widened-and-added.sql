-- A column widened and an aggregate added at once, in windows keyed by an expression over the widened column (v / 3,
-- BIGINT now), with COUNT(DISTINCT k): the windows' keys and their distinct values are read as BIGINT, so a row of
-- v = 7 after the change counts in the window and key (10 s, 2) with the row of v = 6 before it, and the added SUM
-- starts empty in the open windows.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- before:
SELECT window_start, v / 3 AS third, COUNT(DISTINCT k) AS keys FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, v / 3
-- after:
SELECT window_start, v / 3 AS third, COUNT(DISTINCT k) AS keys, SUM(v) AS total FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, v / 3
