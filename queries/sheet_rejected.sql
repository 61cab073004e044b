-- Workbook sheet "Rejected input": quarantined lines and records by file and reason.
SELECT i.input_id, i.path, r.reason, count(*) AS n, min(r.line) AS first_line
FROM rejects r JOIN inputs i USING (input_id)
GROUP BY i.input_id, i.path, r.reason
