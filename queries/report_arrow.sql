-- One page of the exposed-customers Arrow export, keyset-paged on customer_id.
SELECT x.customer_id, r.reference_code, x.elements, x.phrase, x.requests, x.first_exposed, x.last_exposed,
  x.first_source_file, x.first_source_line
FROM exposed_customers x JOIN notice_refs r USING (customer_id)
WHERE ? OR x.customer_id > ?
ORDER BY x.customer_id
LIMIT ?
