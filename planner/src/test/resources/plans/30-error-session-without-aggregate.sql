-- SESSION needs an aggregation over it.
SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(`dateTime`), INTERVAL '5' SECOND))
