-- Resolve: match the in-scope requests' identifiers (see endpoint_match.sql)
-- to customers and give every request one outcome.

-- Each identifier kind's normalised value for every customer record (of
-- every customer table: an account number lives on the accounts table).
-- The value is unnested from a one-element list so the IS NOT NULL filter
-- cannot be pushed into the scan, which would normalise every value twice.
CREATE OR REPLACE TEMP TABLE customer_keys AS
SELECT kind, value, customer_id, record_id FROM (
{{range $i, $k := .Kinds}}{{if $i}}  UNION ALL
{{end}}  SELECT $kind_{{$i}} AS kind, unnest([bs_normalize($norm_{{$i}}, {{ident $k.Field}}, $cc_{{$i}}, $zeros_{{$i}})]) AS value, customer_id, record_id
  FROM customer_records
{{end}}) WHERE value IS NOT NULL;

-- Every (request, customer, record) whose key equals the request's identifier.
CREATE OR REPLACE TABLE request_matches AS
SELECT r.event_id, k.customer_id, k.record_id
FROM requests r
JOIN customer_keys k ON k.kind = r.identifier_kind AND k.value = r.identifier
WHERE r.successful;

-- Every in-scope request with exactly one outcome:
-- no_endpoint | unsuccessful | unmatched | ambiguous | matched. A request is
-- ambiguous when its identifier belongs to more than one customer; several
-- records of one customer (a phone on two accounts) are still one match.
CREATE OR REPLACE TABLE in_scope AS
SELECT r.* EXCLUDE (normalizer, country_code, ignore_zeros),
  coalesce(m.n, 0) AS customers_matched,
  CASE
    WHEN r.endpoint_id IS NULL THEN 'no_endpoint'
    WHEN NOT r.successful THEN 'unsuccessful'
    WHEN coalesce(m.n, 0) = 0 THEN 'unmatched'
    WHEN m.n = 1 THEN 'matched'
    ELSE 'ambiguous'
  END AS outcome
FROM requests r
LEFT JOIN (SELECT event_id, count(DISTINCT customer_id) AS n FROM request_matches GROUP BY event_id) m USING (event_id);
