-- A Top-N without a window changes its rows: append mode cannot give it.
-- mode: append
SELECT auction, price, r FROM (SELECT auction, price, RANK() OVER (PARTITION BY auction ORDER BY price DESC) AS r FROM bid) WHERE r <= 2
