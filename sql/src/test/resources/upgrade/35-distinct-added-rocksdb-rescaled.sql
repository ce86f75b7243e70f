-- rocksdb: COUNT(DISTINCT) added where there was none, rescaled
-- state-store: rocksdb
-- parallelism after: 3
-- before:
SELECT window_start, k, COUNT(*) AS c, COUNT(*) AS d FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
-- after:
SELECT window_start, k, COUNT(*) AS c, COUNT(DISTINCT v) AS d FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
