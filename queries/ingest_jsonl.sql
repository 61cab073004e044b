-- Parse the JSON-lines log lines of one source into the access table. Field
-- locations are JSON paths bound as parameters ($f_*; NULL when unmapped).
-- A line is accepted only when every required field parses; otherwise it is
-- quarantined with the first reason that applies.

CREATE OR REPLACE TEMP TABLE log_parse AS
WITH doc AS (
  SELECT input_id, line, byte_offset, text, reason,
    CASE WHEN reason IS NULL AND json_valid(text) THEN CAST(text AS JSON) END AS j
  FROM raw_lines
  WHERE input_id BETWEEN $first_input AND $last_input
),
fields AS (
  SELECT *,
    json_type(j) AS j_type,
    json_type(j, $f_time) AS time_type,
    json_extract_string(j, $f_time) AS time_raw,
    json_extract_string(j, $f_request_id) AS request_id,
    json_extract_string(j, $f_client_ip) AS client_ip,
    json_extract_string(j, $f_principal) AS principal,
    upper(json_extract_string(j, $f_method)) AS method,
    regexp_replace(coalesce(json_extract_string(j, $f_path), json_extract_string(j, $f_url)), '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*', '') AS uri,
    json_extract_string(j, $f_query) AS query_raw,
    json_extract_string(j, $f_status) AS status_raw,
    json_extract_string(j, $f_bytes) AS bytes_raw,
    json_extract_string(j, $f_user_agent) AS user_agent
  FROM doc
),
typed AS (
  SELECT *,
    CASE
      WHEN time_raw IS NULL THEN NULL
      WHEN time_type IN ('BIGINT', 'UBIGINT', 'DOUBLE') OR regexp_full_match(time_raw, '[0-9]+(\.[0-9]+)?') THEN
        -- epoch seconds, or milliseconds when too large to be seconds
        try(epoch_ms(CAST(round(CAST(time_raw AS DOUBLE) * CASE WHEN CAST(time_raw AS DOUBLE) >= 1e11 THEN 1 ELSE 1000 END) AS BIGINT)))
      WHEN regexp_matches(time_raw, '(Z|z|[+-][0-9]{2}:?[0-9]{2})$') THEN
        timezone('UTC', try_cast(time_raw AS TIMESTAMPTZ))
      ELSE timezone('UTC', timezone($timezone, try_cast(time_raw AS TIMESTAMP)))
    END AS ts,
    try_cast(status_raw AS INTEGER) AS status,
    CASE WHEN bytes_raw = '-' THEN 0 ELSE try_cast(bytes_raw AS BIGINT) END AS bytes
  FROM fields
)
SELECT *,
  CASE
    WHEN reason IS NOT NULL THEN reason
    WHEN j IS NULL THEN 'invalid JSON'
    WHEN j_type <> 'OBJECT' THEN 'not a JSON object'
    WHEN time_raw IS NULL THEN 'missing time'
    WHEN ts IS NULL THEN 'unparseable time'
    WHEN method IS NULL OR method = '' THEN 'missing method'
    WHEN uri IS NULL OR uri = '' THEN 'missing path'
    WHEN status_raw IS NULL THEN 'missing status'
    WHEN status IS NULL OR status < 100 OR status > 999 THEN 'invalid status'
    WHEN bytes_raw IS NOT NULL AND bytes IS NULL THEN 'invalid response bytes'
    WHEN bytes < 0 THEN 'negative response bytes'
  END AS reject_reason
FROM typed;

INSERT INTO access
SELECT
  CAST(input_id AS BIGINT) * 1099511627776 + line,
  input_id, line, byte_offset, ts, request_id, client_ip, principal, method,
  CASE WHEN contains(uri, '?') THEN substr(uri, 1, strpos(uri, '?') - 1) ELSE uri END,
  CASE WHEN contains(uri, '?') THEN substr(uri, strpos(uri, '?') + 1) ELSE coalesce(ltrim(query_raw, '?'), '') END,
  status, bytes, user_agent
FROM log_parse
WHERE reject_reason IS NULL;

INSERT INTO rejects
SELECT input_id, line, byte_offset, reject_reason, text
FROM log_parse
WHERE reject_reason IS NOT NULL;

DROP TABLE log_parse;
