-- Parse CSV (or TSV) log exports into the access table. Line 1 of each file
-- is its header; log_header holds, per file, the header's field count and
-- the position of each mapped column (read from the header by name, so
-- files of one source may order their columns differently). A line splits
-- into fields on the delimiter, a "quoted field" counting as one: split on
-- ", the even parts are inside quotes (their delimiters are masked while
-- the line is split) and an empty odd part between two of them is an
-- escaped quote (""). A line with an odd number of quotes is quarantined;
-- so is each line of a record that spans lines (a newline inside quotes).
{{template "log_macros" .}}
-- bs_split_csv: the fields of one line, unquoted.
CREATE OR REPLACE TEMP MACRO bs_split_csv(parts, sep) AS list_transform(
  string_split(array_to_string(list_transform(parts, (p, i) ->
    CASE WHEN i % 2 = 0 THEN replace(p, sep, chr(57345)) WHEN p = '' AND i > 1 AND i < len(parts) THEN '"' ELSE p END), ''), sep),
  f -> replace(f, chr(57345), sep));

CREATE OR REPLACE TEMP TABLE log_parse AS
WITH split AS (
  SELECT l.input_id, l.line, l.byte_offset, l.reason, l.text, h.fields AS header_fields, h.p,
    CASE WHEN contains(l.text, '"') THEN string_split(l.text, '"') END AS quoted
  FROM log_lines l
  JOIN log_header h ON h.input_id = l.input_id
  WHERE l.input_id BETWEEN $first_input AND $last_input AND l.line > 1
),
fieldlists AS (
  SELECT * EXCLUDE (quoted, text), coalesce(len(quoted) % 2 = 0, false) AS unbalanced,
    CASE WHEN quoted IS NULL THEN string_split(text, {{if .TSV}}chr(9){{else}}','{{end}}) ELSE bs_split_csv(quoted, {{if .TSV}}chr(9){{else}}','{{end}}) END AS q
  FROM split
),
fields AS (
  SELECT input_id, line, byte_offset, reason,
    CASE
      WHEN unbalanced THEN 'unbalanced quotes'
      WHEN len(q) <> header_fields THEN 'wrong field count'
    END AS parse_reason,{{template "mapped_fields" .}}
  FROM fieldlists
),
{{template "log_typed" .}}
{{template "log_store" .}}
