-- People: exposed customer records merge into the individuals who get
-- notices. First each exposed customer's comparison keys, normalised so
-- spelling variants compare equal: names without case, accents or
-- punctuation; emails case-folded; phones in E.164; addresses in USPS form.

-- Each exposed customer's address in USPS form (bs_address: Go, one call
-- per row), standardised once for person_keys and person_members.
CREATE OR REPLACE TEMP TABLE person_addresses AS
SELECT c.customer_id,
  bs_address(c.address_line1, c.address_line2, c.city, c.state, c.postal_code, c.country, $default_country) AS a
FROM customers c
SEMI JOIN exposed_customers x USING (customer_id);

CREATE OR REPLACE TEMP TABLE person_keys AS
SELECT c.customer_id,
  nullif(trim(regexp_replace(lower(strip_accents(coalesce(c.full_name, concat_ws(' ', c.first_name, c.last_name)))), '[^a-z0-9]+', ' ', 'g')), '') AS k_name,
  bs_norm_lower(c.email) AS k_email,
  bs_norm_phone(c.phone, $cc) AS k_phone,
  CAST(c.birth_date AS VARCHAR) AS k_date_of_birth,
  CASE WHEN c.address_line1 IS NOT NULL AND c.postal_code IS NOT NULL THEN pa.a.key END AS k_address,
  bs_norm_account(c.account_number, true) AS k_account_number
FROM customers c
JOIN person_addresses pa USING (customer_id);

CREATE OR REPLACE TEMP TABLE person_edges (customer_id VARCHAR, target VARCHAR, rule VARCHAR);
