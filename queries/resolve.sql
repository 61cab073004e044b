-- Resolve: give every in-scope request its endpoint, outcome and normalised
-- identifier, and match identifiers to customers.

-- The first declared endpoint whose method and path pattern match.
CREATE OR REPLACE TABLE scoped_endpoint AS
SELECT s.event_id, min(e.endpoint_id) AS endpoint_id
FROM scoped s
JOIN endpoints e ON (e.method = '*' OR e.method = s.method) AND regexp_full_match(s.path, e.regex)
GROUP BY s.event_id;

-- The identifier comes from the path's capture group or the first value of
-- the query parameter; it is URL-decoded, then normalised by its kind's rule.
CREATE OR REPLACE TABLE requests AS
WITH r AS (
  SELECT s.*, e.endpoint_id, e.name AS endpoint, e.identifier_kind, e.normalizer, e.country_code, e.ignore_zeros,
    s.status BETWEEN $status_low AND $status_high AND ($min_bytes = 0 OR s.bytes >= $min_bytes) AS successful,
    CASE
      WHEN e.endpoint_id IS NULL THEN NULL
      WHEN e.query_param IS NOT NULL THEN (
        SELECT substr(p, length(e.query_param) + 2)
        FROM (SELECT unnest(string_split(s.query, '&')) AS p)
        WHERE starts_with(p, e.query_param || '=')
        LIMIT 1)
      ELSE regexp_extract(s.path, e.regex, 1)
    END AS identifier_raw
  FROM scoped s
  LEFT JOIN scoped_endpoint se USING (event_id)
  LEFT JOIN endpoints e ON e.endpoint_id = se.endpoint_id
)
SELECT *, bs_normalize(normalizer, coalesce(try(url_decode(identifier_raw)), identifier_raw), country_code, ignore_zeros) AS identifier
FROM r;

-- Each identifier kind's normalised value for every customer record (of
-- every customer table: an account number lives on the accounts table).
CREATE OR REPLACE TABLE customer_keys AS
{{range $i, $k := .Kinds}}{{if $i}}UNION ALL
{{end}}SELECT $kind_{{$i}} AS kind, bs_normalize($norm_{{$i}}, {{ident $k.Field}}, $cc_{{$i}}, $zeros_{{$i}}) AS value, customer_id, record_id
FROM customer_records WHERE bs_normalize($norm_{{$i}}, {{ident $k.Field}}, $cc_{{$i}}, $zeros_{{$i}}) IS NOT NULL
{{end}};

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
