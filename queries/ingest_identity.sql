-- Fill the principal of requests that lack one (ALB and nginx log no caller
-- identity) from an identity source (an application or gateway log) joined
-- on the request id. The identity source's rows are in the identities
-- table, not in access: they describe the same requests, which must not be
-- counted twice. A request id whose identity rows name more than one
-- principal fills nothing (it is counted as a conflict); identity_event_id
-- keeps the identity row that supplied the principal, as evidence.
CREATE OR REPLACE TEMP TABLE identity_keys AS
SELECT request_id, min(principal) AS principal, min(event_id) AS event_id, count(DISTINCT principal) AS principals
FROM identities
WHERE input_id BETWEEN $identity_first AND $identity_last AND request_id IS NOT NULL AND principal IS NOT NULL
GROUP BY request_id;

UPDATE access SET principal = k.principal, identity_event_id = k.event_id
FROM identity_keys k
WHERE access.input_id BETWEEN $first_input AND $last_input
  AND access.principal IS NULL AND access.request_id = k.request_id AND k.principals = 1;

CREATE OR REPLACE TEMP TABLE identity_conflicts AS
SELECT a.input_id, count(*) AS requests
FROM access a JOIN identity_keys k ON a.request_id = k.request_id
WHERE a.input_id BETWEEN $first_input AND $last_input AND a.principal IS NULL AND k.principals > 1
GROUP BY a.input_id;
