-- An interval self-join: the stream is read once and feeds both inputs, each hashed on its join key; the
-- window after it reads the bid time, whose watermark the join holds back by 2 s.
WITH j AS (SELECT x.auction, x.price, y.price AS next_price, y.`dateTime` FROM bid x JOIN bid y ON x.auction = y.auction AND y.`dateTime` > x.`dateTime` AND y.`dateTime` <= x.`dateTime` + INTERVAL '2' SECOND) SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE j, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND)) GROUP BY window_start, window_end
