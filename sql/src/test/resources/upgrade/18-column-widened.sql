-- The stream's column v declared BIGINT where it was INT (the producer now sends larger numbers): SUM over it and
-- the key are widened, the state carried, and a value beyond INT's range is summed exactly.
-- columns before: k VARCHAR, v INT, ts TIMESTAMP(3)
-- before:
SELECT window_start, k, COUNT(*) AS c, SUM(v) AS total, MAX(v) AS top FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
-- after:
SELECT window_start, k, COUNT(*) AS c, SUM(v) AS total, MAX(v) AS top FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k
