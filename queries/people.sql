-- The people: one row per individual to notify, from the merged exposed
-- customer records. The primary record (the one a notice is addressed
-- from) is the member with a usable mailing address, then a usable email,
-- then the smallest customer id. Person ids hash the smallest member
-- customer id, so they are stable across re-runs and do not change when
-- unrelated records are added.

-- Members with their address in USPS form (person_addresses, from
-- people_keys.sql) and whether it can carry a mailed notice.
CREATE OR REPLACE TEMP TABLE person_members AS
SELECT * EXCLUDE (a), a.line1 AS std_line1, a.line2 AS std_line2, a.city AS std_city, a.state AS std_state,
  a.zip AS std_zip, a.country AS std_country, a.usable AS mail_usable
FROM (
  SELECT l.label AS root, c.*, bs_email_usable(c.email) AS email_usable, pa.a
  FROM person_labels l
  JOIN customers c USING (customer_id)
  JOIN person_addresses pa USING (customer_id)
);

CREATE OR REPLACE TEMP TABLE person_primary AS
SELECT root, arg_min(customer_id, (NOT mail_usable, NOT email_usable, customer_id)) AS primary_id,
  count(*) AS records,
  coalesce(bool_or(bs_truthy(deceased)), false) AS deceased
FROM person_members GROUP BY root;

-- Per person, every list a notice and the exports carry, from one grouping
-- of one long table of (person, kind, value) rows: list() without ORDER BY,
-- sorted afterwards, and bit_or over the exposed elements' order (a bit
-- mask). An aggregate with ORDER BY, or one grouping and join per list,
-- holds everything in memory; this spills under a memory limit.
CREATE OR REPLACE TEMP TABLE person_lists AS
SELECT root,
  list_sort(list(value) FILTER (WHERE kind = 'customer')) AS customer_ids,
  coalesce(list_sort(list(value) FILTER (WHERE kind = 'account')), []) AS account_numbers,
  coalesce(list_sort(list(value) FILTER (WHERE kind = 'reason')), []) AS merge_reasons,
  bit_or(element_bit) AS element_mask
FROM (
  SELECT root, 'customer' AS kind, customer_id AS value, NULL::HUGEINT AS element_bit FROM person_members
  UNION ALL
  SELECT DISTINCT l.label, 'account', r.account_number, NULL
  FROM person_labels l JOIN customer_records r USING (customer_id)
  WHERE r.account_number IS NOT NULL
  UNION ALL
  SELECT DISTINCT l.label, 'reason', e.rule, NULL
  FROM person_labels l JOIN person_edges e USING (customer_id)
  WHERE e.customer_id <> e.target
  UNION ALL
  SELECT l.label, 'element', NULL, CAST(1 AS HUGEINT) << el.ord
  FROM person_labels l JOIN evidence e USING (customer_id) JOIN elements el ON el.element = e.element
)
GROUP BY root;

CREATE OR REPLACE TABLE people AS
SELECT
  'P-' || upper(substr(sha256(p.root), 1, 12)) AS person_id,
  l.customer_ids,
  p.records,
  coalesce(pm.full_name, nullif(concat_ws(' ', pm.first_name, pm.last_name), '')) AS name,
  pm.std_line1 AS address_line1, pm.std_line2 AS address_line2, pm.std_city AS city, pm.std_state AS state,
  pm.std_zip AS postal_code, pm.std_country AS country,
  CASE WHEN pm.email_usable THEN bs_norm_lower(pm.email) END AS email,
  pm.birth_date,
  pm.birth_date IS NOT NULL AND pm.birth_date > CAST($reference_date AS DATE) - INTERVAL 18 YEAR AS minor,
  p.deceased,
  CASE WHEN pm.mail_usable THEN 'mail' WHEN pm.email_usable THEN 'email' ELSE 'substitute' END AS channel,
  l.account_numbers,
  [x.element FOR x IN a.elements IF (l.element_mask >> x.ord) & 1 = 1] AS elements,
  bs_phrase([x.label FOR x IN a.elements IF (l.element_mask >> x.ord) & 1 = 1]) AS phrase,
  l.merge_reasons,
  bs_jurisdiction(pm.std_state, pm.std_country) AS jurisdiction
FROM person_primary p
JOIN person_members pm ON pm.root = p.root AND pm.customer_id = p.primary_id
-- every person has exposed elements (people are made of exposed customers)
JOIN person_lists l ON l.root = p.root AND l.element_mask IS NOT NULL
CROSS JOIN (SELECT list(struct_pack(element, label, ord) ORDER BY ord) AS elements FROM elements) a;
