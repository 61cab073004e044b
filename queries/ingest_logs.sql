{{/*
Shared parts of every log format's ingest script (ingest_<format>.sql).
Each script is one statement: it reads one source's units (log_units: the
lines Go read, numbered, from bs_log_units) into a CTE named fields with
the same columns, then includes log_typed and log_store, so every format
types its values, applies the same acceptance rules and is accounted for
the same way. A script runs once to insert the accepted units into access
(or identities), handing the others to Go's quarantine with the first reason
that applies; only when a source rejects more units than the quarantine
keeps does it run again with .Rejects over the files with rejected units,
minus the accepted ones, and insert them into rejects.

fields columns: input_id, line, byte_offset, reason (set when Go rejected the
line before parsing), parse_reason (set when the format's parser could not
split the line), text, time_raw, request_id, client_ip, principal, method,
uri (path, maybe with ?query and scheme://host), query_raw, status_raw,
bytes_raw, user_agent, protocol.
*/}}
{{define "log_macros"}}
-- bs_present: a log value that is there (empty and "-" mean absent).
CREATE OR REPLACE TEMP MACRO bs_present(s) AS nullif(nullif(s, ''), '-');

-- bs_unescape: a value as written inside a quoted log field: Apache escapes
-- \" and \\, nginx and ALB write \x22 and \x5C; other escapes stay as written.
CREATE OR REPLACE TEMP MACRO bs_unescape(s) AS CASE WHEN contains(s, '\') THEN
  replace(replace(replace(replace(replace(s, '\\', chr(57344)), '\"', '"'), '\x22', '"'), '\x5C', '\'), chr(57344), '\')
  ELSE s END;

-- bs_unquote: a field of a space-separated log line without its quotes.
CREATE OR REPLACE TEMP MACRO bs_unquote(s) AS CASE WHEN starts_with(s, '"') THEN bs_unescape(s[2:-2]) ELSE s END;

-- bs_json_not_string: whether the value at path of a JSON document is
-- something other than a string (a number, list, object or boolean), which
-- json_extract_string turns into text. Only a value that could be one of
-- those is looked at again.
CREATE OR REPLACE TEMP MACRO bs_json_not_string(val, doc, path) AS CASE
  -- [ { - 0-9 t f: how a list, object, number or boolean starts
  WHEN ascii(val) BETWEEN 48 AND 57 OR ascii(val) = 45 OR ascii(val) = 91 OR ascii(val) = 102 OR ascii(val) = 116 OR ascii(val) = 123
    THEN json_type(doc, path) <> 'VARCHAR'
  ELSE false END;

-- bs_request_line splits "GET /path?query HTTP/1.1" (r, and s, r split on
-- spaces) into method, url and protocol; a request line with more spaces
-- (a URL with spaces) goes through the slower pattern.
CREATE OR REPLACE TEMP MACRO bs_request_line(r, s) AS CASE
  WHEN len(s) = 2 AND s[1] <> '' THEN {'method': s[1], 'url': s[2], 'protocol': ''}
  WHEN len(s) = 3 AND s[1] <> '' AND regexp_full_match(s[3], 'HTTP/[0-9.]+') THEN {'method': s[1], 'url': s[2], 'protocol': s[3]}
  ELSE regexp_extract(r, '^([^ ]+) (.*?)(?: (HTTP/[0-9.]+))?$', ['method', 'url', 'protocol']) END;
{{end}}

{{define "log_units"}}
-- units: every line (CloudTrail: record) of the source's files, from Go's
-- reader bs_log_units: its input, line number and byte offset, why Go
-- rejected it before parsing (a code into $unit_reasons: empty line,
-- invalid UTF-8, line too long ...) and its text (none when too long).
units AS (
  SELECT u.input_id, u.line, u.byte_offset, CASE WHEN u.reason > 0 THEN $unit_reasons[u.reason] END AS reason,
    CASE WHEN u.has_text THEN u.text END AS text
  FROM bs_log_units($units) u{{if .Rejects}}
  -- the quarantining pass: only the units the accepting pass left out
  WHERE NOT EXISTS (SELECT 1 FROM {{ident .Table}} a
    WHERE a.input_id BETWEEN $first_input AND $last_input AND a.input_id = u.input_id AND a.line = u.line){{end}}
),
{{- end}}

{{define "log_insert"}}
{{- if .Rejects}}INSERT INTO rejects (input_id, line, byte_offset, reason, content)
{{else}}INSERT INTO {{ident .Table}} (event_id, input_id, line, byte_offset, ts, request_id, client_ip, principal, method, path, query, status, bytes, user_agent, protocol)
{{end}}
{{- end}}

{{define "log_typed"}}
-- time_form: how time_raw is read. ISO-8601 in UTC (...Z) and common log
-- format times (whose offset is subtracted) need no time zone rules.
formed AS (
  SELECT *,
    CASE
      WHEN time_raw IS NULL THEN NULL
      -- (each pattern behind a test that is cheaper than a pattern)
      WHEN (ends_with(time_raw, 'Z') OR ends_with(time_raw, 'z'))
        AND regexp_full_match(time_raw, '[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?[Zz]') THEN 'utc'
      -- epoch seconds, or milliseconds when too large to be seconds
      WHEN NOT contains(time_raw, ':') AND regexp_full_match(time_raw, '-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?') THEN 'epoch'
      -- common log format: 25/Nov/2022:03:14:15 -0800
      WHEN contains(time_raw, '/')
        AND regexp_full_match(time_raw, '[0-9]{1,2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)? [+-][0-9]{4}') THEN 'clf'
      -- ISO-8601 and the like with an offset
      WHEN regexp_matches(time_raw, '[0-9]:[0-9]{2}(\.[0-9]+)?\s*(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$') THEN 'offset'
      -- no offset: local time of the source's timezone
      ELSE 'local'
    END AS time_form
  FROM fields
),
-- The offset of a time that has one: sign, hours and minutes. One beyond
-- +-14:00, or with 60 minutes or more, is no real offset.
offsets AS (
  SELECT *,
    CASE WHEN tz.sign = '-' THEN -1 ELSE 1 END * (tz_hh * 60 + tz_mm) AS tz_minutes,
    coalesce(tz_hh * 60 + tz_mm > 14 * 60 OR tz_mm >= 60, false) AS tz_invalid
  FROM (
    SELECT *, coalesce(CAST(nullif(tz.hh, '') AS INTEGER), 0) AS tz_hh, coalesce(CAST(nullif(tz.mm, '') AS INTEGER), 0) AS tz_mm
    FROM (
      SELECT *,
        CASE time_form
          WHEN 'clf' THEN {'sign': substr(time_raw, -5, 1), 'hh': substr(time_raw, -4, 2), 'mm': substr(time_raw, -2, 2)}
          WHEN 'offset' THEN regexp_extract(time_raw, '([+-])([0-9]{2}):?([0-9]{2})?$', ['sign', 'hh', 'mm'])
        END AS tz
      FROM formed
    )
  )
),
typed AS (
  SELECT input_id, line, byte_offset, reason, parse_reason, text, time_raw, tz_invalid,
    bs_present(request_id) AS request_id,
    bs_present(client_ip) AS client_ip,
    bs_present(principal) AS principal,
    upper(bs_present(method)) AS method,
    CASE WHEN contains(uri, '://') THEN regexp_replace(uri, '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*', '') ELSE uri END AS uri,
    query_raw,
    bs_present(status_raw) AS status_raw,
    bytes_raw,
    bs_present(user_agent) AS user_agent,
    bs_present(protocol) AS protocol,
    CASE time_form
      WHEN 'utc' THEN try_cast(CASE WHEN ends_with(time_raw, 'Z') THEN time_raw ELSE substr(time_raw, 1, length(time_raw) - 1) END AS TIMESTAMP)
      WHEN 'epoch' THEN
        try(epoch_ms(CAST(round(CAST(time_raw AS DOUBLE) * CASE WHEN abs(CAST(time_raw AS DOUBLE)) >= 1e11 THEN 1 ELSE 1000 END) AS BIGINT)))
      WHEN 'clf' THEN
        try_strptime(substr(time_raw, 1, length(time_raw) - 6), ['%d/%b/%Y:%H:%M:%S', '%d/%b/%Y:%H:%M:%S.%f']) - to_minutes(tz_minutes)
      WHEN 'offset' THEN timezone('UTC', try_cast(time_raw AS TIMESTAMPTZ))
      WHEN 'local' THEN CASE WHEN $timezone = 'UTC' THEN try_cast(time_raw AS TIMESTAMP)
        ELSE timezone('UTC', timezone($timezone, try_cast(time_raw AS TIMESTAMP))) END
    END AS ts,
    -- status and size are whole decimal numbers ("200", "200.0"): a
    -- fraction is not rounded away, and hex, 1e3 or 1_000 are no sizes
    CASE WHEN regexp_full_match(status_raw, '\s*\+?[0-9]+(\.0+)?\s*') THEN try_cast(status_raw AS INTEGER) END AS status,
    CASE WHEN bytes_raw = '-' THEN 0 WHEN regexp_full_match(bytes_raw, '\s*[+-]?[0-9]+(\.0+)?\s*') THEN try_cast(bytes_raw AS BIGINT) END AS bytes
  FROM offsets
),
-- A unit is accepted only when every required field parses; otherwise it
-- is quarantined with the first reason that applies. Times before 1990 or
-- after 2099 (year 1, 1900, 9999, epoch 0 or -1) are placeholders or
-- damage, never a request to an API.
parsed AS (
  SELECT * EXCLUDE (uri),
    CASE WHEN contains(uri, '?') THEN substr(uri, 1, strpos(uri, '?') - 1) ELSE uri END AS path,
    CASE WHEN contains(uri, '?') THEN substr(uri, strpos(uri, '?') + 1) ELSE coalesce(ltrim(query_raw, '?'), '') END AS query,
    CASE
      WHEN reason IS NOT NULL THEN reason
      WHEN parse_reason IS NOT NULL THEN parse_reason
      WHEN time_raw IS NULL THEN 'missing time'
      WHEN ts IS NULL THEN 'unparseable time'
      WHEN tz_invalid THEN 'invalid UTC offset'
      WHEN ts < TIMESTAMP '1990-01-01' OR ts >= TIMESTAMP '2100-01-01' THEN 'implausible time (before 1990 or after 2099)'
      WHEN method IS NULL THEN 'missing method'
      WHEN uri IS NULL OR uri = '' THEN 'missing path'
      WHEN status_raw IS NULL THEN 'missing status'
      WHEN status IS NULL AND regexp_full_match(status_raw, '\s*[+-]?[0-9]*\.[0-9]+\s*') THEN 'fractional status'
      WHEN status IS NULL OR status < 100 OR status > 999 THEN 'invalid status'
      WHEN bytes_raw IS NOT NULL AND bytes IS NULL AND regexp_full_match(bytes_raw, '\s*[+-]?[0-9]*\.[0-9]+\s*') THEN 'fractional response bytes'
      WHEN bytes_raw IS NOT NULL AND bytes IS NULL THEN 'invalid response bytes'
      WHEN bytes < 0 THEN 'negative response bytes'
    END AS reject_reason
  FROM typed
)
{{- end}}

{{define "log_store"}}
{{- if .Rejects}}
-- The quarantine keeps the unit as read (never printed); over-long lines
-- are kept without their content.
SELECT input_id, line, byte_offset, reject_reason, text
FROM parsed
WHERE reject_reason IS NOT NULL;
{{- else}}
SELECT
  CAST(input_id AS BIGINT) * 1099511627776 + line,
  input_id, line, byte_offset, ts, request_id, client_ip, principal, method, path, query, status, bytes, user_agent, protocol
FROM parsed
-- A unit not accepted goes to Go's quarantine (bs_quarantine keeps it for
-- the rejects table and returns false), so its file need not be read
-- again; CASE calls it for those units only.
WHERE CASE WHEN reject_reason IS NULL THEN true
  ELSE bs_quarantine($quarantine, CAST(input_id AS BIGINT), CAST(line AS BIGINT), CAST(byte_offset AS BIGINT), reject_reason, text) END;
{{- end}}
{{end}}

{{define "mapped_fields"}}
    {{.F.Time}} AS time_raw,
    {{.F.RequestID}} AS request_id,
    {{.F.ClientIP}} AS client_ip,
    {{.F.Principal}} AS principal,
    {{.F.Method}} AS method,
    {{.F.URI}} AS uri,
    {{.F.Query}} AS query_raw,
    {{.F.Status}} AS status_raw,
    {{.F.Bytes}} AS bytes_raw,
    {{.F.UserAgent}} AS user_agent,
    {{.F.Protocol}} AS protocol
{{- end}}

{{define "json_doc"}}
{{- template "log_units" .}}
-- A line that is no JSON is found by json_valid, not by the error of the
-- function that reads it: TRY catches errors by running the whole vector
-- again row by row, which one bad line in a thousand would make the rule.
doc AS (
  SELECT input_id, line, byte_offset, reason, text,
    CASE WHEN reason IS NULL AND (starts_with(text, '{') AND ends_with(text, '}') OR json_valid(text))
      THEN {{if .Structure}}try(json_transform(text, $structure)){{else}}try(json_extract_string(text, $paths)){{end}} END AS v
  FROM units
),
{{- end}}

{{define "json_fields"}}
fields AS (
  SELECT input_id, line, byte_offset, reason, text,
    CASE
      WHEN v IS NULL THEN 'invalid JSON'
      WHEN NOT starts_with(text, '{') AND NOT starts_with(ltrim(text, ' ' || chr(9)), '{') THEN 'not a JSON object'{{if .MethodType}}
      WHEN {{.MethodType}} THEN 'method is not a JSON string'{{end}}{{if .PathType}}
      WHEN {{.PathType}} THEN 'path is not a JSON string'{{end}}
    END AS parse_reason,{{template "mapped_fields" .}}
  FROM {{.From}}
),
{{- end}}
