-- Running counts per user joined with a static table: each count that changes takes back the joined row it
-- replaces (update mode); the final table holds each user's last count with the user's name.
-- mode: update
-- key: 1
CREATE STREAM clicks (user_id VARCHAR, url VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT u.name, t.n FROM (SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id) t JOIN (VALUES ('ann', 'Ann Lee'), ('bob', 'Bob Ray')) AS u(id, name) ON t.user_id = u.id;
-- data: clicks
ann, /a, 2026-01-01 00:00:01
bob, /b, 2026-01-01 00:00:02
ann, /c, 2026-01-01 00:00:03
-- data: clicks
ann, /d, 2026-01-01 00:00:04
cid, /e, 2026-01-01 00:00:05
-- expect:
Ann Lee, 3
Bob Ray, 1
