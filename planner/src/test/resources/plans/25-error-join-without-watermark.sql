-- A join with a stream that has no event time cannot be bounded.
SELECT * FROM bid b JOIN clicks c ON b.url = c.url
