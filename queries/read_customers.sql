-- Read one customer file with every column as text (leading zeros survive).
-- The CSV reader's 1 MiB buffers (DuckDB's default is 32 MiB) keep it
-- within small memory limits. ingest_customers.sql stages the file through
-- it and numbers the records in file order.
CREATE OR REPLACE TEMP MACRO customer_file(file, sep) AS TABLE
SELECT *
FROM {{if eq .Format "parquet"}}read_parquet(file){{else if eq .Format "jsonl"}}read_json(file, format = 'newline_delimited'){{else}}read_csv(file, header = true, all_varchar = true, delim = sep, quote = '"', escape = '"', buffer_size = 1048576, store_rejects = true, rejects_scan = 'bs_reject_scans', rejects_table = 'bs_reject_errors'){{end}};
