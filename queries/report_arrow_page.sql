-- One page of the people Arrow export (report_arrow.sql): the rows after
-- row number $after, at most $size of them.
SELECT * EXCLUDE (bs_n) FROM bs_arrow
WHERE bs_n > $after
ORDER BY bs_n
LIMIT $size
