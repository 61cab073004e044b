-- Parse nginx/Apache access logs in the combined or common log format
--   %h %l %u [%t] "%r" %>s %b ["%{Referer}i" "%{User-agent}i"] [more fields]
-- into the access table. Apache writes a quote inside a quoted field as \"
-- (and a backslash as \\), nginx as \x22: with the escaped ones masked,
-- every " opens or closes a field, so the line splits on " into p: p[1] is
-- "%h %l %u [%t] " (read with one regular expression), p[2] the request,
-- p[3] " %>s %b ", p[4] the referer, p[6] the user agent, and fields a site
-- appended come after (f: field 10 is f[1]); the request line gives method,
-- path, query and protocol; times keep their offset and become UTC; a "-"
-- size is 0.
{{template "log_macros" .}}
-- bs_mask hides escaped quotes and backslashes; bs_unmask restores them
-- and decodes nginx's \x22 and \x5C.
CREATE OR REPLACE TEMP MACRO bs_mask(s) AS CASE WHEN contains(s, '\') THEN replace(replace(s, '\\', chr(57346)), '\"', chr(57344)) ELSE s END;
CREATE OR REPLACE TEMP MACRO bs_unmask(s) AS CASE WHEN contains(s, '\') OR contains(s, chr(57344)) OR contains(s, chr(57346)) THEN
  replace(replace(replace(replace(s, '\x22', '"'), '\x5C', '\'), chr(57344), '"'), chr(57346), '\') ELSE s END;
{{- if .Extra}}
-- bs_split_fields: space-separated fields, a quoted one counting as one,
-- from a line already split on quotes (odd parts are outside quotes).
CREATE OR REPLACE TEMP MACRO bs_split_fields(parts) AS list_transform(
  string_split(array_to_string(list_transform(parts, (p, i) -> CASE WHEN i % 2 = 0 THEN replace(p, ' ', chr(57345)) ELSE p END), ''), ' '),
  x -> bs_unmask(replace(x, chr(57345), ' ')));
{{- end}}

{{template "log_insert" .}}WITH {{template "log_units" .}}
split AS (
  SELECT input_id, line, byte_offset, reason, text, string_split(bs_mask(text), '"') AS p
  FROM units
),
head AS (
  SELECT *,
    regexp_extract(p[1], '^([^ ]+) ([^ ]+) ([^ ]+) \[([^\]]*)\] $', ['host', 'ident', 'user', 'time']) AS h,
    string_split(trim(p[3]), ' ') AS sb,
    bs_unmask(p[2]) AS request
  FROM split
),
tokens AS (
  SELECT *,{{if .Extra}}
    coalesce(bs_split_fields(p[7:])[2:], []) AS f,{{end}}
    bs_request_line(request, string_split(request, ' ')) AS r
  FROM head
),
fields AS (
  SELECT input_id, line, byte_offset, reason, text,
    CASE
      WHEN h.time = '' OR len(p) % 2 = 0 OR len(sb) <> 2 THEN 'not in combined log format'
      WHEN len(p) > 3 AND (len(p) < 7 OR NOT ends_with(p[3], ' ') OR p[5] <> ' ') THEN 'not in combined log format'
      WHEN len(p) = 3 AND ends_with(p[3], ' ') THEN 'not in combined log format'
    END AS parse_reason,{{template "mapped_fields" .}}
  FROM tokens
),
{{template "log_typed" .}}
{{template "log_store" .}}
