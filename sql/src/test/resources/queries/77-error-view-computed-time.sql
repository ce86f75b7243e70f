-- A column a view computes from its stream's event time is not a time attribute (as in Flink): a window over it
-- is refused with what to do.
CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
CREATE VIEW shifted AS SELECT k, ts + INTERVAL '1' SECOND AS t FROM s;
SELECT window_start, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE shifted, DESCRIPTOR(t), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;
-- mode: append
-- error: TUMBLE over DESCRIPTOR(t) needs an event-time column
