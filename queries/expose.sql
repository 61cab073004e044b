-- Expose: an element is exposed for a customer when a matched request's
-- endpoint returns it and the customer's record holds it (not every record
-- holds every field). Ambiguous requests expose no one until the analyst
-- resolves them; they are listed separately.

CREATE OR REPLACE TABLE customer_elements AS
SELECT customer_id, element FROM (
  UNPIVOT (
    SELECT customer_id{{range .Elements}},
      ({{range $j, $f := .Fields}}{{if $j}} OR {{end}}{{ident $f}} IS NOT NULL{{end}}) AS {{ident .Name}}{{end}}
    FROM customers
  ) ON COLUMNS(* EXCLUDE (customer_id)) INTO NAME element VALUE present
) WHERE present;

-- Evidence: every (customer, element, request) with the log line behind it.
CREATE OR REPLACE TABLE evidence AS
SELECT m.customer_id, x.element, r.event_id, r.ts, r.endpoint,
  i.path AS source_file, r.line AS source_line, r.request_id, r.client_ip, r.principal, r.matched_by
FROM request_matches m
JOIN in_scope r ON r.event_id = m.event_id AND r.outcome = 'matched'
JOIN endpoint_exposes x ON x.endpoint_id = r.endpoint_id
JOIN customer_elements ce ON ce.customer_id = m.customer_id AND ce.element = x.element
JOIN inputs i ON i.input_id = r.input_id;

-- Per customer: the matched requests, whatever they exposed.
CREATE OR REPLACE TEMP TABLE customer_requests AS
SELECT m.customer_id, count(*) AS requests, min(r.ts) AS first_at, max(r.ts) AS last_at,
  arg_min(r.event_id, (r.ts, r.event_id)) AS first_event_id
FROM request_matches m
JOIN in_scope r ON r.event_id = m.event_id AND r.outcome = 'matched'
GROUP BY m.customer_id;

CREATE OR REPLACE TABLE exposed_customers AS
SELECT e.customer_id,
  list(e.element ORDER BY el.ord) AS elements,
  bs_phrase(list(el.label ORDER BY el.ord)) AS phrase,
  any_value(cr.requests) AS requests,
  any_value(cr.first_at) AS first_exposed,
  any_value(cr.last_at) AS last_exposed,
  any_value(cr.first_event_id) AS first_event_id
FROM (SELECT DISTINCT customer_id, element FROM evidence) e
JOIN elements el ON el.element = e.element
JOIN customer_requests cr ON cr.customer_id = e.customer_id
GROUP BY e.customer_id;

CREATE OR REPLACE TABLE unmatched_identifiers AS
SELECT endpoint, identifier_kind, identifier, count(*) AS requests, min(ts) AS first_at, max(ts) AS last_at
FROM in_scope WHERE outcome = 'unmatched'
GROUP BY ALL;

CREATE OR REPLACE TABLE ambiguous_identifiers AS
SELECT r.endpoint, r.identifier_kind, r.identifier, count(DISTINCT r.event_id) AS requests,
  list(DISTINCT m.customer_id ORDER BY m.customer_id) AS customer_ids
FROM in_scope r JOIN request_matches m USING (event_id)
WHERE r.outcome = 'ambiguous'
GROUP BY ALL;
