-- ... and, without a watermark, says that too.
-- mode: append
SELECT userId, COUNT(*) FROM clicks GROUP BY userId
