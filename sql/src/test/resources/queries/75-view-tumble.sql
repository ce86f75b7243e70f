-- A view keeps its stream's event-time column as a time attribute: a tumbling window over the view closes when
-- the stream's watermark passes its end, and rows the view filters out never count.
-- state-store: memory, rocksdb
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE VIEW positive AS SELECT k, v, ts FROM s WHERE v > 0;
SELECT window_start, window_end, k, COUNT(*) AS c, SUM(v) AS total FROM TABLE(TUMBLE(TABLE positive, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k;
-- mode: append
-- data: s
a, 1, 2026-01-01 00:00:01
b, 0, 2026-01-01 00:00:02
a, 2, 2026-01-01 00:00:08
-- data: s
b, 3, 2026-01-01 00:00:12
a, -1, 2026-01-01 00:00:13
-- data: s
a, 4, 2026-01-01 00:00:30
-- expect:
2026-01-01 00:00:00, 2026-01-01 00:00:10, a, 2, 3
2026-01-01 00:00:10, 2026-01-01 00:00:20, b, 1, 3
