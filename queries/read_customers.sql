-- Read one customer file with every column as text (leading zeros survive)
-- and number its records in file order.
CREATE OR REPLACE TEMP TABLE customer_file AS
SELECT *, row_number() OVER () AS bs_record
FROM {{if eq .Format "parquet"}}read_parquet($path){{else if eq .Format "jsonl"}}read_json($path, format = 'newline_delimited'){{else}}read_csv($path, header = true, all_varchar = true, delim = $delim, quote = '"', escape = '"', buffer_size = 4194304, store_rejects = true, rejects_scan = 'bs_reject_scans', rejects_table = 'bs_reject_errors'){{end}};

