-- timeline.jsonl: one line per attacker request in Timesketch's import
-- shape (message, datetime, timestamp_desc) plus breachscope's fields. The
-- message names the endpoint template, not the identifier.
COPY (
  SELECT
    concat_ws(' ', method, coalesce(endpoint, 'no declared endpoint'), '->', CAST(status AS VARCHAR), '(' || outcome || ')') AS message,
    strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS datetime,
    'API request' AS timestamp_desc,
    event_id, outcome, endpoint, method, path, status, bytes, customers_matched,
    client_ip, principal, user_agent, request_id, matched_by,
    (SELECT path FROM inputs i WHERE i.input_id = s.input_id) AS source_file,
    line AS source_line
  FROM in_scope s
  ORDER BY ts, event_id
) TO $timeline_path (FORMAT json);
