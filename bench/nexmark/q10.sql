-- Log to file system: each bid with its day and hour:minute, the columns the suite partitions its files by (the
-- runner writes every query into a blackhole; the file sink's 'partition-by' writes such directories).
SELECT auction, bidder, price, dateTime, extra, DATE_FORMAT(dateTime, 'yyyy-MM-dd') AS `day`,
  DATE_FORMAT(dateTime, 'HH:mm') AS `hm`
FROM bid
