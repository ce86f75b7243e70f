-- A stream joined with a static table (here VALUES, filtered): each click is joined when it comes, with the table
-- rows of its key; in a LEFT JOIN a click whose user the table lacks comes at once with nulls. Nothing waits for
-- the watermark, and the clicks keep their event time.
CREATE STREAM clicks (user_id VARCHAR, url VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory');
SELECT c.user_id, c.url, u.name, u.tier FROM clicks c LEFT JOIN (SELECT * FROM (VALUES ('ann', 'Ann Lee', 1), ('bob', 'Bob Ray', 2), ('bob', 'Robert Ray', 3), ('cid', 'Cid Moe', 0)) AS t(id, name, tier) WHERE tier > 0) u ON c.user_id = u.id;
-- data: clicks
ann, /a, 2026-01-01 00:00:01
bob, /b, 2026-01-01 00:00:02
-- data: clicks
cid, /c, 2026-01-01 00:00:03
dan, /d, 2026-01-01 00:00:04
ann, /e, 2026-01-01 00:00:05
-- expect:
ann, /a, Ann Lee, 1
bob, /b, Bob Ray, 2
bob, /b, Robert Ray, 3
cid, /c, null, null
dan, /d, null, null
ann, /e, Ann Lee, 1
