-- The people: one row per individual to notify, from the merged exposed
-- customer records. The primary record (the one a notice is addressed
-- from) is the member with a usable mailing address, then a usable email,
-- then the smallest customer id. Person ids hash the smallest member
-- customer id, so they are stable across re-runs and do not change when
-- unrelated records are added.

-- Members with their address in USPS form (bs_address: Go, see
-- analysis/address) and whether it can carry a mailed notice.
CREATE OR REPLACE TABLE person_members AS
SELECT * EXCLUDE (a), a.line1 AS std_line1, a.line2 AS std_line2, a.city AS std_city, a.state AS std_state,
  a.zip AS std_zip, a.country AS std_country, a.usable AS mail_usable
FROM (
  SELECT l.label AS root, c.*, bs_email_usable(c.email) AS email_usable,
    bs_address(c.address_line1, c.address_line2, c.city, c.state, c.postal_code, c.country, $default_country) AS a
  FROM person_labels l
  JOIN customers c USING (customer_id)
);

CREATE OR REPLACE TEMP TABLE person_primary AS
SELECT root, arg_min(customer_id, (NOT mail_usable, NOT email_usable, customer_id)) AS primary_id,
  count(*) AS records,
  coalesce(bool_or(bs_truthy(deceased)), false) AS deceased
FROM person_members GROUP BY root;

CREATE OR REPLACE TEMP TABLE person_elements AS
SELECT l.label AS root, list(DISTINCT e.element ORDER BY e.element) AS element_set
FROM person_labels l JOIN evidence e USING (customer_id)
GROUP BY l.label;

CREATE OR REPLACE TABLE people AS
WITH accounts AS (
  SELECT l.label AS root, list(DISTINCT r.account_number ORDER BY r.account_number) AS account_numbers
  FROM person_labels l JOIN customer_records r USING (customer_id)
  WHERE r.account_number IS NOT NULL GROUP BY l.label
),
reasons AS (
  SELECT l.label AS root, list(DISTINCT e.rule ORDER BY e.rule) AS merge_reasons
  FROM person_labels l JOIN person_edges e USING (customer_id)
  WHERE e.customer_id <> e.target GROUP BY l.label
),
members AS (
  SELECT root, list(customer_id ORDER BY customer_id) AS customer_ids FROM person_members GROUP BY root
),
labelled AS (
  SELECT pe.root, list(el.element ORDER BY el.ord) AS elements, bs_phrase(list(el.label ORDER BY el.ord)) AS phrase
  FROM person_elements pe, unnest(pe.element_set) AS u(element)
  JOIN elements el ON el.element = u.element
  GROUP BY pe.root
)
SELECT
  'P-' || upper(substr(sha256(p.root), 1, 12)) AS person_id,
  m.customer_ids,
  p.records,
  coalesce(pm.full_name, nullif(concat_ws(' ', pm.first_name, pm.last_name), '')) AS name,
  pm.std_line1 AS address_line1, pm.std_line2 AS address_line2, pm.std_city AS city, pm.std_state AS state,
  pm.std_zip AS postal_code, pm.std_country AS country,
  CASE WHEN pm.email_usable THEN bs_norm_lower(pm.email) END AS email,
  pm.birth_date,
  pm.birth_date IS NOT NULL AND pm.birth_date > CAST($reference_date AS DATE) - INTERVAL 18 YEAR AS minor,
  p.deceased,
  CASE WHEN pm.mail_usable THEN 'mail' WHEN pm.email_usable THEN 'email' ELSE 'substitute' END AS channel,
  coalesce(a.account_numbers, []) AS account_numbers,
  lb.elements, lb.phrase,
  coalesce(r.merge_reasons, []) AS merge_reasons,
  bs_jurisdiction(pm.std_state, pm.std_country) AS jurisdiction
FROM person_primary p
JOIN person_members pm ON pm.root = p.root AND pm.customer_id = p.primary_id
JOIN members m ON m.root = p.root
JOIN labelled lb ON lb.root = p.root
LEFT JOIN accounts a ON a.root = p.root
LEFT JOIN reasons r ON r.root = p.root;
