-- After every customer table is read: rows of many_per_customer tables
-- whose customer_id has no primary record are quarantined (they would be
-- exposures of nobody), then one row per customer is built for notices.

INSERT INTO rejects
SELECT r.input_id, NULL, NULL, 'no primary customer record for this row''s customer id (record ' || r.source_record || ')', NULL
FROM customer_records r
WHERE r.linked AND r.customer_id NOT IN (SELECT customer_id FROM customer_records WHERE NOT linked);

DELETE FROM customer_records
WHERE linked AND customer_id NOT IN (SELECT customer_id FROM customer_records WHERE NOT linked);

-- For a primary record without a mailing address or account number, the
-- first linked record (by record id) that has one. Its columns have the
-- customer fields' names, so query masks them like the customers'.
CREATE OR REPLACE TABLE customer_fallback AS
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
SELECT customer_id, fa.a.address_line1, fa.a.address_line2, fa.a.city, fa.a.state, fa.a.postal_code, fa.a.country, fc.account_number
FROM first_address fa FULL JOIN first_account fc USING (customer_id);

-- The customer as a notice addresses them: the primary record, with the
-- fallback's address and account number where the record lacks them. A
-- view, not a table: a copy of every primary record cost a tenth of the
-- customers' ingest and as much disk as customer_records itself.
CREATE OR REPLACE VIEW customers AS
SELECT p.* EXCLUDE (address_line1, address_line2, city, state, postal_code, country, account_number, linked, has_address),
  CASE WHEN has_address THEN p.address_line1 ELSE f.address_line1 END AS address_line1,
  CASE WHEN has_address THEN p.address_line2 ELSE f.address_line2 END AS address_line2,
  CASE WHEN has_address THEN p.city ELSE f.city END AS city,
  CASE WHEN has_address THEN p.state ELSE f.state END AS state,
  CASE WHEN has_address THEN p.postal_code ELSE f.postal_code END AS postal_code,
  CASE WHEN has_address THEN p.country ELSE coalesce(f.country, p.country) END AS country,
  coalesce(p.account_number, f.account_number) AS account_number
FROM (
  SELECT *, coalesce(address_line1, address_line2, city, state, postal_code) IS NOT NULL AS has_address
  FROM customer_records WHERE NOT linked
) p
LEFT JOIN customer_fallback f USING (customer_id);
