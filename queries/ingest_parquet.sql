-- Parse Parquet log exports into the access table. The files of one source
-- are read together; each row's file gives its input and its position in
-- the file (file_row_number, counted from 1) its line. Mapped columns are
-- read as text and typed like every other format, so a timestamp column, an
-- ISO-8601 string or epoch seconds all work.
{{template "log_macros" .}}
{{template "log_insert" .}}WITH src AS (
  SELECT * FROM read_parquet($paths, filename = 'bs_file', file_row_number = true, union_by_name = true)
),
numbered AS (
  SELECT *,
    CAST($first_input + list_position($paths, bs_file) - 1 AS INTEGER) AS bs_input_id,
    file_row_number + 1 AS bs_line
  FROM src
),
fields AS (
  SELECT
    bs_input_id AS input_id,
    bs_line AS line,
    CAST(NULL AS BIGINT) AS byte_offset,
    CAST(NULL AS VARCHAR) AS reason,
    CAST(NULL AS VARCHAR) AS parse_reason,
    CAST(NULL AS VARCHAR) AS text,{{template "mapped_fields" .}}
  FROM numbered{{if .Rejects}}
  -- the quarantining pass: only the rows the accepting pass left out
  WHERE NOT EXISTS (SELECT 1 FROM {{ident .Table}} a
    WHERE a.input_id BETWEEN $first_input AND $last_input AND a.input_id = bs_input_id AND a.line = bs_line){{end}}
),
{{template "log_typed" .}}
{{template "log_store" .}}
