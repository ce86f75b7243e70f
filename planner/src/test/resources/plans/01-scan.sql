-- A stream read as it is: only the scan.
SELECT * FROM bid
