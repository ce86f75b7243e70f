-- Processing-time windows: the bids of each bidder per 10 seconds of processing time (the clock of the batches
-- that read them, not the bids' own time), as Flink's q12 writes it over a view that adds PROCTIME().
CREATE VIEW B AS SELECT *, PROCTIME() AS p_time FROM bid;
SELECT bidder, COUNT(*) AS bid_count, window_start AS starttime, window_end AS endtime
FROM TABLE(TUMBLE(TABLE B, DESCRIPTOR(p_time), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end
