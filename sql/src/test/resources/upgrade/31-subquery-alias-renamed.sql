-- A column renamed inside a subquery (c becomes cnt) under a window Top-N: refused, since the Top-N keeps whole rows
-- in its state by column name; the refusal names the column.
-- before:
SELECT window_start, k, c, rn FROM (SELECT window_start, window_end, k, c, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY c DESC, k) AS rn FROM (SELECT window_start, window_end, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k)) WHERE rn <= 2
-- after:
SELECT window_start, k, cnt, rn FROM (SELECT window_start, window_end, k, cnt, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY cnt DESC, k) AS rn FROM (SELECT window_start, window_end, k, COUNT(*) AS cnt FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k)) WHERE rn <= 2
