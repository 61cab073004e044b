-- Read one customer file with every column as text (leading zeros survive)
-- and number its records in file order. A table macro, not a table: the
-- file is read by the one statement that loads it, streaming, so a customer
-- file larger than the memory limit loads without being held in memory. The
-- CSV reader's 1 MiB buffers (DuckDB's default is 32 MiB) keep it within
-- small limits too.
CREATE OR REPLACE TEMP MACRO customer_file(file, sep) AS TABLE
SELECT *, row_number() OVER () AS bs_record
FROM {{if eq .Format "parquet"}}read_parquet(file){{else if eq .Format "jsonl"}}read_json(file, format = 'newline_delimited'){{else}}read_csv(file, header = true, all_varchar = true, delim = sep, quote = '"', escape = '"', buffer_size = 1048576, store_rejects = true, rejects_scan = 'bs_reject_scans', rejects_table = 'bs_reject_errors'){{end}};
