-- Parse CSV (or TSV) log exports into the access table. Line 1 of each file
-- is its header (Go reads it, and bs_log_units does not yield it);
-- log_header holds, per file, the header's field count and the position of
-- each mapped column (read from the header by name, so files of one source
-- may order their columns differently). A line splits
-- into fields on the delimiter, a "quoted field" counting as one: split on
-- ", the even parts are inside quotes (their delimiters are masked while
-- the line is split) and an empty odd part between two of them is an
-- escaped quote (""). A line with an odd number of quotes is quarantined;
-- so is each line of a record that spans lines (a newline inside quotes).
{{template "log_macros" .}}
{{- define "csv_sep"}}{{if .TSV}}chr(9){{else}}','{{end}}{{end}}
-- bs_plain_quotes: whether a line split on " quotes whole fields only, with
-- no "" inside: every part outside quotes (odd) starts and ends at a field
-- boundary. bs_split_plain splits such a line without rewriting it: the
-- quoted parts are fields, the others split on the delimiter (less the
-- empty ends next to a quote). bs_split_csv splits any line.
CREATE OR REPLACE TEMP MACRO bs_plain_quotes(parts, sep) AS len(parts) % 2 = 1 AND list_bool_and(list_transform(parts, (p, i) ->
  i % 2 = 0 OR i = len(parts) AND p = '' OR ((i = 1 OR starts_with(p, sep)) AND (i = len(parts) OR ends_with(p, sep)))));
CREATE OR REPLACE TEMP MACRO bs_split_plain(parts, sep) AS flatten(list_transform(parts, (p, i) -> CASE
  WHEN i % 2 = 0 THEN [p]
  ELSE string_split(p, sep)[CASE WHEN i > 1 THEN 2 ELSE 1 END:CASE WHEN i < len(parts) THEN -2 ELSE -1 END] END));

-- bs_split_csv: the fields of one line, unquoted.
CREATE OR REPLACE TEMP MACRO bs_split_csv(parts, sep) AS list_transform(
  string_split(array_to_string(list_transform(parts, (p, i) ->
    CASE WHEN i % 2 = 0 THEN replace(p, sep, chr(57345)) WHEN p = '' AND i > 1 AND i < len(parts) THEN '"' ELSE p END), ''), sep),
  f -> replace(f, chr(57345), sep));

{{template "log_insert" .}}WITH {{template "log_units" .}}
split AS (
  SELECT l.input_id, l.line, l.byte_offset, l.reason, l.text, h.fields AS header_fields, h.p,
    CASE WHEN contains(l.text, '"') THEN string_split(l.text, '"') END AS quoted
  FROM units l
  JOIN log_header h ON h.input_id = l.input_id
),
-- plain: quotes wrap whole fields; hard: any other quoted line, the only
-- input of the general split (whose list functions would otherwise run on
-- every line, chosen or not).
kinds AS (
  SELECT *, coalesce(bs_plain_quotes(quoted, {{template "csv_sep" .}}), false) AS plain
  FROM split
),
fieldlists AS (
  SELECT * EXCLUDE (quoted, plain), coalesce(len(quoted) % 2 = 0, false) AS unbalanced,
    CASE
      WHEN quoted IS NULL THEN string_split(text, {{template "csv_sep" .}})
      WHEN plain THEN bs_split_plain(quoted, {{template "csv_sep" .}})
      ELSE bs_split_csv(CASE WHEN NOT plain THEN quoted END, {{template "csv_sep" .}})
    END AS q
  FROM kinds
),
fields AS (
  SELECT input_id, line, byte_offset, reason, text,
    CASE
      WHEN unbalanced THEN 'unbalanced quotes'
      WHEN len(q) <> header_fields THEN 'wrong field count'
    END AS parse_reason,{{template "mapped_fields" .}}
  FROM fieldlists
),
{{template "log_typed" .}}
{{template "log_store" .}}
