-- NOT IN (SELECT ...) over a static table keeps SQL's nulls: a click whose user is NULL is not known to be outside
-- the set, so it does not pass. The subquery's own WHERE runs first: the NULL row it filters out is not in the set
-- (a NULL in the set would make NOT IN unknown for every click).
CREATE STREAM clicks (user_id VARCHAR, url VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT user_id, url FROM clicks WHERE url <> '/health' AND user_id NOT IN (SELECT id FROM (VALUES ('bob', TRUE), ('eve', TRUE), ('ann', FALSE), (CAST(NULL AS VARCHAR), FALSE)) AS b(id, blocked) WHERE blocked);
-- data: clicks
ann, /a, 2026-01-01 00:00:01
bob, /b, 2026-01-01 00:00:02
null, /c, 2026-01-01 00:00:03
-- data: clicks
cid, /d, 2026-01-01 00:00:04
eve, /e, 2026-01-01 00:00:05
cid, /health, 2026-01-01 00:00:06
ann, /f, 2026-01-01 00:00:07
-- expect:
ann, /a
cid, /d
ann, /f
