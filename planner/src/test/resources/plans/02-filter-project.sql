-- A filter and a projection fuse into one Calc.
SELECT auction, price * 2 AS doubled FROM bid WHERE price > 100 AND channel <> 'apple'
