-- Map one customer file's columns to the canonical customer fields and
-- quarantine records with no customer id.

INSERT INTO customer_records
SELECT
  CAST($input_id AS BIGINT) * 1099511627776 + bs_record,
  bs_norm_text(CAST({{ident .IDColumn}} AS VARCHAR)),
  $source,
  $input_id,
  bs_record,
  $linked,
  {{if .DOBColumn}}bs_parse_date(CAST({{ident .DOBColumn}} AS VARCHAR), $date_order){{else}}NULL{{end}}{{range .Columns}},
  {{if .Column}}bs_norm_text(CAST({{ident .Column}} AS VARCHAR)){{else}}NULL{{end}}{{end}}
FROM customer_file
WHERE bs_norm_text(CAST({{ident .IDColumn}} AS VARCHAR)) IS NOT NULL;

INSERT INTO rejects
SELECT $input_id, NULL, NULL, 'empty customer id (record ' || bs_record || ')', NULL
FROM customer_file
WHERE bs_norm_text(CAST({{ident .IDColumn}} AS VARCHAR)) IS NULL;
{{if .CSV}}
-- A malformed record can yield several errors; it is one rejected record.
INSERT INTO rejects
SELECT $input_id, line, min(byte_position), 'malformed CSV record: ' || min(error_type), min(csv_line)
FROM bs_reject_errors
GROUP BY line;
{{end}}
