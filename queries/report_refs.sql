-- Reference codes, one per person, from the case secret (bs_reference is an
-- HMAC computed in Go; the secret never enters SQL text). Every customer
-- record of a person carries the person's code.
CREATE OR REPLACE TEMP TABLE person_refs AS
SELECT person_id, bs_reference(person_id) AS reference_code
FROM people;

CREATE OR REPLACE TEMP TABLE notice_refs AS
SELECT unnest(p.customer_ids) AS customer_id, r.reference_code
FROM people p JOIN person_refs r USING (person_id);
