-- append mode over an aggregation without a window is refused, saying what to do.
-- mode: append
SELECT channel, COUNT(*) FROM bid GROUP BY channel
