-- The notification list: one row per exposed customer, every text cell
-- neutralised against formula injection, in a stable order.
COPY (
  SELECT
    bs_cell(r.reference_code) AS reference_code,
    bs_cell(coalesce(c.full_name, nullif(concat_ws(' ', c.first_name, c.last_name), ''))) AS name,
    bs_cell(c.address_line1) AS address_line1,
    bs_cell(c.address_line2) AS address_line2,
    bs_cell(c.city) AS city,
    bs_cell(c.state) AS state,
    bs_cell(c.postal_code) AS postal_code,
    bs_cell(c.country) AS country,
    bs_cell(c.email) AS email,{{range $i, $e := .Elements}}
    list_contains(x.elements, $el_{{$i}}) AS {{ident (printf "exposed_%s" $e.Name)}},{{end}}
    bs_cell('your ' || x.phrase) AS exposed_phrase,
    strftime(x.first_exposed, '%Y-%m-%dT%H:%M:%SZ') AS first_exposed,
    x.requests,
    bs_cell(x.first_source_file) AS first_source_file,
    x.first_source_line,
    bs_cell(x.first_request_id) AS first_request_id
  FROM exposed_customers x
  JOIN customers c USING (customer_id)
  JOIN notice_refs r USING (customer_id)
  ORDER BY c.postal_code NULLS LAST, r.reference_code
) TO $path (FORMAT csv, HEADER true, DELIMITER $delim);
