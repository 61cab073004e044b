-- Give every request of {{.From}} its endpoint, success and normalised
-- identifier (into {{.Into}}). Resolve runs it on the in-scope requests,
-- triage on all requests.

-- The first declared endpoint whose method and path pattern match. Each
-- endpoint's method and pattern are bound values ($method_N, $regex_N, from
-- the endpoints table): a pattern read from a column is compiled again for
-- every row, a bound one once per statement.
CREATE OR REPLACE TEMP TABLE bs_request_endpoint AS
SELECT event_id, endpoint_id FROM (
  SELECT s.event_id,
    {{- if .Endpoints}} CASE{{range .Endpoints}}
      WHEN ($method_{{.}} = '*' OR $method_{{.}} = s.method) AND regexp_full_match(s.path, $regex_{{.}}) THEN $id_{{.}}{{end}}
    END{{else}} CAST(NULL AS INTEGER){{end}} AS endpoint_id
  FROM {{ident .From}} s
) WHERE endpoint_id IS NOT NULL;

-- The identifier comes from the path's capture group or the first value of
-- the query parameter; it is URL-decoded, then normalised by its kind's rule.
CREATE OR REPLACE TABLE {{ident .Into}} AS
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
      ELSE CASE e.endpoint_id{{range .Endpoints}} WHEN $id_{{.}} THEN regexp_extract(s.path, $regex_{{.}}, 1){{end}} END
    END AS identifier_raw
  FROM {{ident .From}} s
  LEFT JOIN bs_request_endpoint se USING (event_id)
  LEFT JOIN endpoints e ON e.endpoint_id = se.endpoint_id
)
SELECT *, bs_normalize(normalizer, coalesce(try(url_decode(identifier_raw)), identifier_raw), country_code, ignore_zeros) AS identifier
FROM r;

