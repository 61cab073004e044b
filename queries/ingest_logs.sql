{{/*
Shared parts of every log format's ingest script (ingest_<format>.sql).
Each script reads one source's files into a CTE named fields with the same
columns, then includes log_typed and log_store, so every format types its
values, applies the same acceptance rules and is accounted for the same way.

fields columns: input_id, line, byte_offset, reason (set when Go rejected the
line before parsing), parse_reason (set when the format's parser could not
split the line), time_raw, request_id, client_ip, principal, method, uri
(path, maybe with ?query and scheme://host), query_raw, status_raw,
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

-- bs_request_line splits "GET /path?query HTTP/1.1" into method, url and
-- protocol; the second pattern, slower, is for the rare URL with spaces.
CREATE OR REPLACE TEMP MACRO bs_request_line(r) AS CASE
  WHEN regexp_full_match(r, '[^ ]+ [^ ]*( HTTP/[0-9.]+)?') THEN regexp_extract(r, '^([^ ]+) ([^ ]*)(?: (HTTP/[0-9.]+))?$', ['method', 'url', 'protocol'])
  ELSE regexp_extract(r, '^([^ ]+) (.*?)(?: (HTTP/[0-9.]+))?$', ['method', 'url', 'protocol']) END;
{{end}}

{{define "log_typed"}}
typed AS (
  SELECT input_id, line, byte_offset, reason, parse_reason, time_raw,
    bs_present(request_id) AS request_id,
    bs_present(client_ip) AS client_ip,
    bs_present(principal) AS principal,
    upper(bs_present(method)) AS method,
    regexp_replace(uri, '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*', '') AS uri,
    query_raw,
    bs_present(status_raw) AS status_raw,
    bytes_raw,
    bs_present(user_agent) AS user_agent,
    bs_present(protocol) AS protocol,
    CASE
      WHEN time_raw IS NULL THEN NULL
      -- epoch seconds, or milliseconds when too large to be seconds
      WHEN regexp_full_match(time_raw, '-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?') THEN
        try(epoch_ms(CAST(round(CAST(time_raw AS DOUBLE) * CASE WHEN abs(CAST(time_raw AS DOUBLE)) >= 1e11 THEN 1 ELSE 1000 END) AS BIGINT)))
      -- common log format: 25/Nov/2022:03:14:15 -0800
      WHEN regexp_full_match(time_raw, '[0-9]{1,2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)? [+-][0-9]{4}') THEN
        timezone('UTC', try_strptime(time_raw, ['%d/%b/%Y:%H:%M:%S %z', '%d/%b/%Y:%H:%M:%S.%f %z']))
      -- ISO-8601 and the like with an offset
      WHEN regexp_matches(time_raw, '[0-9]:[0-9]{2}(\.[0-9]+)?\s*(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$') THEN
        timezone('UTC', try_cast(time_raw AS TIMESTAMPTZ))
      -- no offset: local time of the source's timezone
      ELSE timezone('UTC', timezone($timezone, try_cast(time_raw AS TIMESTAMP)))
    END AS ts,
    try_cast(bs_present(status_raw) AS INTEGER) AS status,
    CASE WHEN bytes_raw = '-' THEN 0 ELSE try_cast(bytes_raw AS BIGINT) END AS bytes
  FROM fields
)
-- A line is accepted only when every required field parses; otherwise it is
-- quarantined with the first reason that applies.
SELECT * EXCLUDE (uri),
  CASE WHEN contains(uri, '?') THEN substr(uri, 1, strpos(uri, '?') - 1) ELSE uri END AS path,
  CASE WHEN contains(uri, '?') THEN substr(uri, strpos(uri, '?') + 1) ELSE coalesce(ltrim(query_raw, '?'), '') END AS query,
  CASE
    WHEN reason IS NOT NULL THEN reason
    WHEN parse_reason IS NOT NULL THEN parse_reason
    WHEN time_raw IS NULL THEN 'missing time'
    WHEN ts IS NULL THEN 'unparseable time'
    WHEN method IS NULL THEN 'missing method'
    WHEN uri IS NULL OR uri = '' THEN 'missing path'
    WHEN status_raw IS NULL THEN 'missing status'
    WHEN status IS NULL OR status < 100 OR status > 999 THEN 'invalid status'
    WHEN bytes_raw IS NOT NULL AND bytes IS NULL THEN 'invalid response bytes'
    WHEN bytes < 0 THEN 'negative response bytes'
  END AS reject_reason
FROM typed;
{{end}}

{{define "log_store"}}
INSERT INTO {{ident .Table}} (event_id, input_id, line, byte_offset, ts, request_id, client_ip, principal, method, path, query, status, bytes, user_agent, protocol)
SELECT
  CAST(input_id AS BIGINT) * 1099511627776 + line,
  input_id, line, byte_offset, ts, request_id, client_ip, principal, method, path, query, status, bytes, user_agent, protocol
FROM log_parse
WHERE reject_reason IS NULL;

-- The quarantine keeps the line as read (never printed); over-long lines
-- are kept without their content.
INSERT INTO rejects
SELECT p.input_id, p.line, p.byte_offset, p.reject_reason, {{if .Lines}}l.text{{else}}NULL{{end}}
FROM log_parse p{{if .Lines}}
LEFT JOIN log_lines l ON l.input_id = p.input_id AND l.line = p.line{{end}}
WHERE p.reject_reason IS NOT NULL;

DROP TABLE log_parse;
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
doc AS (
  SELECT input_id, line, byte_offset, reason, text,
    CASE WHEN reason IS NULL THEN try(json_extract_string(text, $paths)) END AS v
  FROM log_lines
  WHERE input_id BETWEEN $first_input AND $last_input
),
{{- end}}

{{define "json_fields"}}
fields AS (
  SELECT input_id, line, byte_offset, reason,
    CASE
      WHEN v IS NULL THEN 'invalid JSON'
      WHEN NOT starts_with(ltrim(text, ' ' || chr(9)), '{') THEN 'not a JSON object'
    END AS parse_reason,{{template "mapped_fields" .}}
  FROM {{.From}}
),
{{- end}}
