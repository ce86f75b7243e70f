-- UNION ALL of a stream with itself.
SELECT auction FROM bid WHERE price > 10 UNION ALL SELECT bidder FROM bid
