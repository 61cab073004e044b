-- Reference codes for everyone notified, from the case secret (bs_reference
-- is an HMAC computed in Go; the secret never enters SQL text).
CREATE OR REPLACE TEMP TABLE notice_refs AS
SELECT customer_id, bs_reference(customer_id) AS reference_code
FROM exposed_customers;
