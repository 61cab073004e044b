-- Parse Parquet log exports into the access table. The files of one source
-- are read together; each row's file gives its input and its position in
-- the file (file_row_number, counted from 1) its line. Mapped columns are
-- read as text and typed like every other format, so a timestamp column, an
-- ISO-8601 string or epoch seconds all work.
{{template "log_macros" .}}
CREATE OR REPLACE TEMP TABLE log_parse AS
WITH src AS (
  SELECT * FROM read_parquet($paths, filename = 'bs_file', file_row_number = true, union_by_name = true)
),
fields AS (
  SELECT
    CAST($first_input + list_position($paths, bs_file) - 1 AS INTEGER) AS input_id,
    file_row_number + 1 AS line,
    CAST(NULL AS BIGINT) AS byte_offset,
    CAST(NULL AS VARCHAR) AS reason,
    CAST(NULL AS VARCHAR) AS parse_reason,{{template "mapped_fields" .}}
  FROM src
),
{{template "log_typed" .}}
{{template "log_store" .}}
