-- Parse AWS Application Load Balancer access logs into the access table,
-- by field position as AWS documents them (1 type, 2 time, 3 elb,
-- 4 client:port, 9 elb_status_code, 12 sent_bytes, 13 "request",
-- 14 "user_agent", 18 "trace_id", 22 request_creation_time, ...). The load
-- balancer writes a double quote inside a field as \x22, so every " in a
-- line opens or closes a quoted field: splitting the line on " gives p,
-- whose even parts are the quoted fields and whose odd parts hold the
-- unquoted fields between them, separated by spaces (h: fields 1 to 12).
-- Fields AWS adds at the end of newer entries are accepted and ignored.
{{template "log_macros" .}}
-- bs_host: the address of an ip:port field ([v6]:port too).
CREATE OR REPLACE TEMP MACRO bs_host(s) AS coalesce(nullif(regexp_extract(s, '^\[?(.*?)\]?:[0-9]+$', 1), ''), s);

{{template "log_insert" .}}WITH {{template "log_units" .}}
split AS (
  SELECT input_id, line, byte_offset, reason, text, string_split(text, '"') AS p
  FROM units
),
request AS (
  SELECT *, string_split(p[1], ' ') AS h, bs_request_line(bs_unescape(p[2]), string_split(bs_unescape(p[2]), ' ')) AS r
  FROM split
),
fields AS (
  SELECT input_id, line, byte_offset, reason, text,
    CASE
      WHEN len(p) % 2 = 0 THEN 'unbalanced quotes'
      WHEN len(p) < 5 OR len(h) <> 13 OR h[13] <> '' OR p[3] <> ' ' THEN 'wrong field count'
    END AS parse_reason,{{template "mapped_fields" .}}
  FROM request
),
{{template "log_typed" .}}
{{template "log_store" .}}
