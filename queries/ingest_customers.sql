-- Map one customer file's columns to the canonical customer fields and
-- quarantine records with no customer id.

-- The file is read once, in full, into a staging table of the case
-- database, written compressed as it fills (a temporary table would spill
-- uncompressed beyond the memory limit: more than twice the file's size,
-- over 20 GB for 100 million customers). Reading every
-- column means a record holding a malformed value in any column is
-- quarantined whatever the mapping (DuckDB only parses the columns a query
-- reads), so record numbers do not depend on the mapping. With insertion
-- order kept, the read runs on every thread and the table's row ids are the
-- records' order in the file; a row number over the read itself
-- (row_number() OVER ()) would run the reader and the normalisation below
-- on one thread. A file with its own column named rowid hides the row id,
-- so its records are numbered that way instead.
SET preserve_insertion_order = true;
CREATE OR REPLACE TABLE customer_stage AS
SELECT *{{if .RowidColumn}}, row_number() OVER () AS bs_record{{end}}
FROM customer_file($path, $delim);

-- A record with no customer id is loaded with the id '' (no real id is
-- empty: ids are trimmed and empty means absent) and moved to the
-- quarantine below.
INSERT INTO customer_records
SELECT
  CAST($input_id AS BIGINT) * 1099511627776 + {{template "record_number" .}},
  coalesce(bs_norm_text(CAST({{ident .IDColumn}} AS VARCHAR)), ''),
  $source,
  $input_id,
  {{template "record_number" .}},
  $linked,
  {{if .DOBColumn}}bs_parse_date(CAST({{ident .DOBColumn}} AS VARCHAR), $date_order){{else}}NULL{{end}}{{range .Columns}},
  {{if .Column}}bs_norm_text(CAST({{ident .Column}} AS VARCHAR)){{else}}NULL{{end}}{{end}}
FROM customer_stage;

DROP TABLE customer_stage;

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

{{- /* a record's number in its file, from 1 */}}
{{define "record_number"}}{{if .RowidColumn}}bs_record{{else}}(rowid + 1){{end}}{{end}}
