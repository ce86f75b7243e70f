-- Bounded side input join: each bid joined, at its processing time, with the side input's row of its auction
-- modulo 10 000 (a lookup join of a static table). side_input/side_input.csv holds Flink's 10 000 rows key,value
-- (value is the key as text), written by: seq 0 9999 | awk '{print $1 "," $1}'.
CREATE STREAM side_input (key BIGINT, `value` VARCHAR)
  WITH ('connector' = 'file', 'path' = '${nexmark}/side_input', 'format' = 'csv', 'bounded' = 'true');
SELECT B.auction, B.bidder, B.price, B.dateTime, S.`value`
FROM (SELECT *, PROCTIME() AS p_time FROM bid) B
JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S
ON MOD(B.auction, 10000) = S.key
