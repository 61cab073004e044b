-- Map one customer file's columns to the canonical customer fields and
-- quarantine records with no customer id.

-- One pass over the file. A record with no customer id is loaded with the
-- id '' (no real id is empty: ids are trimmed and empty means absent) and
-- moved to the quarantine below. The WHERE clause reads every column of the
-- file, mapped or not, so that a record holding a malformed value in any
-- column is quarantined whatever the mapping (DuckDB only parses the columns
-- a query reads) and record numbers do not depend on the mapping.
INSERT INTO customer_records
SELECT
  CAST($input_id AS BIGINT) * 1099511627776 + bs_record,
  coalesce(bs_norm_text(CAST({{ident .IDColumn}} AS VARCHAR)), ''),
  $source,
  $input_id,
  bs_record,
  $linked,
  {{if .DOBColumn}}bs_parse_date(CAST({{ident .DOBColumn}} AS VARCHAR), $date_order){{else}}NULL{{end}}{{range .Columns}},
  {{if .Column}}bs_norm_text(CAST({{ident .Column}} AS VARCHAR)){{else}}NULL{{end}}{{end}}
FROM customer_file($path, $delim)
WHERE hash({{range $i, $c := .FileColumns}}{{if $i}}, {{end}}{{ident $c}}{{end}}) IS NOT NULL;

INSERT INTO rejects
SELECT $input_id, NULL, NULL, 'empty customer id (record ' || source_record || ')', NULL
FROM customer_records
WHERE input_id = $input_id AND customer_id = ''
ORDER BY source_record;

DELETE FROM customer_records WHERE input_id = $input_id AND customer_id = '';
{{if .CSV}}
-- A malformed record can yield several errors; it is one rejected record.
INSERT INTO rejects
SELECT $input_id, line, min(byte_position), 'malformed CSV record: ' || min(error_type), min(csv_line)
FROM bs_reject_errors
GROUP BY line;
{{end}}
