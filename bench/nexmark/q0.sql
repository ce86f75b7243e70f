-- Passthrough: every bid as it is (the cost of reading and writing the stream).
SELECT auction, bidder, price, dateTime, extra FROM bid
