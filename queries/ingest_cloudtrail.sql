-- Parse CloudTrail records into the access table. Go read each file's
-- {"Records": [...]} document (or one event per line) into one row per
-- record: line is the record's number in its file, byte_offset where it
-- starts. An AWS API call is a request: method is the action (eventName),
-- path /<eventSource>/<eventName>, query the requestParameters as
-- key=value pairs (nested keys joined by dots, values URL-encoded, in
-- document order); status is 200 without errorCode, else by error family:
-- 403 denied, 404 not found, 429 throttled, 500 service fault, 400 other.
-- A field the case file maps replaces its derivation. v holds the values
-- at the fields' keys (see ingest_jsonl.sql).
{{template "log_macros" .}}
{{template "log_insert" .}}WITH {{template "json_doc" .}}
event AS (
  SELECT *,
    upper({{.CT.V.EventName}}) AS ct_method,
    '/' || {{.CT.V.EventSource}} || '/' || {{.CT.V.EventName}} AS ct_uri,
    (SELECT string_agg(replace(replace(replace(regexp_replace(fullkey, '^\$\.?', ''), '%', '%25'), '&', '%26'), '=', '%3D')
         || '=' || url_encode(json_extract_string(atom, '$')), '&' ORDER BY id)
     FROM json_tree({{.CT.V.Parameters}}) WHERE atom IS NOT NULL) AS ct_query,
    CASE
      WHEN bs_present({{.CT.V.ErrorCode}}) IS NULL THEN '200'
      WHEN regexp_matches({{.CT.V.ErrorCode}}, 'AccessDenied|Unauthorized|NotAuthorized|Forbidden|InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken') THEN '403'
      WHEN regexp_matches({{.CT.V.ErrorCode}}, 'NotFound|NoSuch') THEN '404'
      WHEN regexp_matches({{.CT.V.ErrorCode}}, 'Throttl|TooManyRequests|RequestLimitExceeded|SlowDown') THEN '429'
      WHEN regexp_matches({{.CT.V.ErrorCode}}, 'InternalError|InternalFailure|ServiceUnavailable') THEN '500'
      ELSE '400'
    END AS ct_status
  FROM doc
),{{template "json_fields" .}}
{{template "log_typed" .}}
{{template "log_store" .}}
