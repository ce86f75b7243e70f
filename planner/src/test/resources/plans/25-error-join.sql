-- Joins come with the next issue.
SELECT * FROM bid b JOIN clicks c ON b.url = c.url
