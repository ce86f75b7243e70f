-- A window join, as in Flink: both inputs windowed by the same tumbling window and joined on the window and a key.
-- A row waits only until its window closes; in a FULL OUTER join a row that found no partner in its window comes
-- with nulls once the watermark passes the window's end (window [10 s, 20 s) is still open at the end).
-- state-store: memory, rocksdb
CREATE STREAM l (num INT, id VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory');
CREATE STREAM r (num INT, id VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory');
SELECT L.num, L.id, R.id AS rid, COALESCE(L.window_start, R.window_start) AS window_start FROM (SELECT * FROM TABLE(TUMBLE(TABLE l, DESCRIPTOR(ts), INTERVAL '5' SECOND))) L FULL JOIN (SELECT * FROM TABLE(TUMBLE(TABLE r, DESCRIPTOR(ts), INTERVAL '5' SECOND))) R ON L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end;
-- data: l
1, L1, 2026-01-01 00:00:02
2, L2, 2026-01-01 00:00:04
3, L3, 2026-01-01 00:00:06
-- data: r
2, R2, 2026-01-01 00:00:01
3, R3, 2026-01-01 00:00:03
4, R4, 2026-01-01 00:00:07
-- data: l
4, L4, 2026-01-01 00:00:08
5, L5, 2026-01-01 00:00:12
-- data: r
5, R5, 2026-01-01 00:00:14
-- expect:
1, L1, null, 2026-01-01 00:00:00
2, L2, R2, 2026-01-01 00:00:00
null, null, R3, 2026-01-01 00:00:00
3, L3, null, 2026-01-01 00:00:05
4, L4, R4, 2026-01-01 00:00:05
5, L5, R5, 2026-01-01 00:00:10
