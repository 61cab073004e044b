-- Expose: an element is exposed for a customer when a matched request's
-- endpoint returns it and a record the request returned holds it (not every
-- record holds every field). A request returns the customer's primary
-- record(s), the rows its identifier matched, and every row of the tables
-- the endpoint declares in also_returns. Ambiguous requests expose no one
-- until the analyst resolves them; they are listed separately.

CREATE OR REPLACE TEMP TABLE matched AS
SELECT m.event_id, m.customer_id, m.record_id, q.endpoint_id
FROM request_matches m JOIN in_scope q ON q.event_id = m.event_id AND q.outcome = 'matched';

CREATE OR REPLACE TEMP TABLE returned_records AS
SELECT event_id, customer_id, record_id FROM matched
UNION
SELECT m.event_id, m.customer_id, c.record_id
FROM matched m JOIN customer_records c ON c.customer_id = m.customer_id AND NOT c.linked
UNION
SELECT m.event_id, m.customer_id, c.record_id
FROM matched m
JOIN endpoint_also_returns a ON a.endpoint_id = m.endpoint_id
JOIN customer_records c ON c.customer_id = m.customer_id AND c.source = a.source;

-- The elements each returned record holds (only returned records: the
-- other customers' records are never evidence).
CREATE OR REPLACE TEMP TABLE record_elements AS
SELECT record_id, customer_id, element FROM (
  UNPIVOT (
    SELECT record_id, customer_id{{range .Elements}},
      ({{range $j, $f := .Fields}}{{if $j}} OR {{end}}{{ident $f}} IS NOT NULL{{end}}) AS {{ident .Name}}{{end}}
    FROM customer_records
    WHERE record_id IN (SELECT record_id FROM returned_records)
  ) ON COLUMNS(* EXCLUDE (record_id, customer_id)) INTO NAME element VALUE present
) WHERE present;

-- Evidence: every (customer, element, request, record) with the log line
-- behind it and the customer record that held the value.
CREATE OR REPLACE TABLE evidence AS
SELECT rr.customer_id, x.element, q.event_id, q.ts, q.endpoint,
  i.path AS source_file, q.line AS source_line, q.request_id, q.client_ip, q.principal, q.matched_by,
  cr.source AS record_source, cr.source_record AS record_number
FROM returned_records rr
JOIN in_scope q ON q.event_id = rr.event_id
JOIN endpoint_exposes x ON x.endpoint_id = q.endpoint_id
JOIN record_elements re ON re.record_id = rr.record_id AND re.element = x.element
JOIN customer_records cr ON cr.record_id = rr.record_id
JOIN inputs i ON i.input_id = q.input_id;

-- Per customer: the matched requests, whatever they exposed.
CREATE OR REPLACE TEMP TABLE customer_requests AS
SELECT customer_id, count(DISTINCT event_id) AS requests
FROM matched
GROUP BY customer_id;

-- Per exposed customer: the elements, the phrase for the notice, the
-- matched requests, and the first exposing request with the log line behind
-- it, so every notice can be traced back to evidence.
CREATE OR REPLACE TEMP TABLE first_evidence AS
SELECT customer_id, min(ts) AS first_exposed, max(ts) AS last_exposed,
  arg_min(struct_pack(event_id, source_file, source_line, request_id), (ts, event_id)) AS first
FROM evidence
GROUP BY customer_id;

-- The elements of each customer as a bit mask over their order: bit_or is
-- a fixed-size aggregate, which spills under a memory limit; a list
-- aggregate over every (customer, element) pair does not.
CREATE OR REPLACE TEMP TABLE customer_element_masks AS
SELECT e.customer_id, bit_or(CAST(1 AS HUGEINT) << el.ord) AS mask
FROM evidence e JOIN elements el ON el.element = e.element
GROUP BY e.customer_id;

CREATE OR REPLACE TABLE exposed_customers AS
SELECT m.customer_id,
  [x.element FOR x IN a.elements IF (m.mask >> x.ord) & 1 = 1] AS elements,
  bs_phrase([x.label FOR x IN a.elements IF (m.mask >> x.ord) & 1 = 1]) AS phrase,
  cr.requests,
  fe.first_exposed,
  fe.last_exposed,
  fe.first.event_id AS first_event_id,
  fe.first.source_file AS first_source_file,
  fe.first.source_line AS first_source_line,
  fe.first.request_id AS first_request_id
FROM customer_element_masks m
CROSS JOIN (SELECT list(struct_pack(element, label, ord) ORDER BY ord) AS elements FROM elements) a
JOIN customer_requests cr ON cr.customer_id = m.customer_id
JOIN first_evidence fe ON fe.customer_id = m.customer_id;

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

-- Unsuccessful in-scope requests by status: not exposures, but counsel and
-- the analyst see how much the attacker tried and failed.
CREATE OR REPLACE TABLE unsuccessful_by_status AS
SELECT endpoint, status,
  CASE WHEN status BETWEEN $status_low AND $status_high THEN 'response too small' ELSE 'status' END AS reason,
  count(*) AS requests
FROM in_scope WHERE outcome = 'unsuccessful'
GROUP BY ALL;
