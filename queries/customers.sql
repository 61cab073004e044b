-- After every customer table is read: rows of many_per_customer tables
-- whose customer_id has no primary record are quarantined (they would be
-- exposures of nobody), then one row per customer is built for notices.

INSERT INTO rejects
SELECT r.input_id, NULL, NULL, 'no primary customer record for this row''s customer id (record ' || r.source_record || ')', NULL
FROM customer_records r
WHERE r.linked AND r.customer_id NOT IN (SELECT customer_id FROM customer_records WHERE NOT linked);

DELETE FROM customer_records
WHERE linked AND customer_id NOT IN (SELECT customer_id FROM customer_records WHERE NOT linked);

-- The customer as a notice addresses them: the primary record, with the
-- mailing address and account number of the first linked record that has
-- one when the primary record lacks them.
CREATE OR REPLACE TABLE customers AS
WITH first_address AS (
  SELECT customer_id, arg_min(struct_pack(address_line1, address_line2, city, state, postal_code, country), record_id) AS a
  FROM customer_records
  WHERE linked AND coalesce(address_line1, address_line2, city, state, postal_code) IS NOT NULL
  GROUP BY customer_id
),
first_account AS (
  SELECT customer_id, arg_min(account_number, record_id) AS account_number
  FROM customer_records
  WHERE linked AND account_number IS NOT NULL
  GROUP BY customer_id
)
SELECT p.* EXCLUDE (address_line1, address_line2, city, state, postal_code, country, account_number, linked, has_address),
  CASE WHEN has_address THEN p.address_line1 ELSE fa.a.address_line1 END AS address_line1,
  CASE WHEN has_address THEN p.address_line2 ELSE fa.a.address_line2 END AS address_line2,
  CASE WHEN has_address THEN p.city ELSE fa.a.city END AS city,
  CASE WHEN has_address THEN p.state ELSE fa.a.state END AS state,
  CASE WHEN has_address THEN p.postal_code ELSE fa.a.postal_code END AS postal_code,
  CASE WHEN has_address THEN p.country ELSE coalesce(fa.a.country, p.country) END AS country,
  coalesce(p.account_number, fc.account_number) AS account_number
FROM (
  SELECT *, coalesce(address_line1, address_line2, city, state, postal_code) IS NOT NULL AS has_address
  FROM customer_records WHERE NOT linked
) p
LEFT JOIN first_address fa USING (customer_id)
LEFT JOIN first_account fc USING (customer_id);
