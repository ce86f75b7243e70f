-- A bounded table needs no watermark: its end closes every window.
SELECT window_start, product, SUM(amount)
FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' DAY))
GROUP BY window_start, window_end, product
