-- Analyst exports, Parquet with zstd, each sorted on a unique key so the
-- files are byte-identical across runs.
COPY (
  SELECT x.customer_id, r.reference_code, x.elements, x.phrase, x.requests,
    x.first_exposed, x.last_exposed, x.first_event_id, x.first_source_file, x.first_source_line, x.first_request_id{{range $i, $e := .Elements}},
    list_contains(x.elements, $el_{{$i}}) AS {{ident (printf "exposed_%s" $e.Name)}}{{end}}
  FROM exposed_customers x JOIN notice_refs r USING (customer_id)
  ORDER BY x.customer_id
) TO $exposed_path (FORMAT parquet, COMPRESSION zstd);

COPY (
  SELECT customer_id, element, event_id, ts, endpoint, source_file, source_line, request_id, client_ip, principal, matched_by,
    record_source, record_number
  FROM evidence
  ORDER BY customer_id, element, event_id, record_source, record_number
) TO $evidence_path (FORMAT parquet, COMPRESSION zstd);

COPY (
  SELECT bs_cell(endpoint) AS endpoint, identifier_kind, bs_cell(identifier) AS identifier, requests,
    strftime(first_at, '%Y-%m-%dT%H:%M:%SZ') AS first_at, strftime(last_at, '%Y-%m-%dT%H:%M:%SZ') AS last_at
  FROM unmatched_identifiers
  ORDER BY endpoint, identifier NULLS FIRST
) TO $unmatched_path (FORMAT csv, HEADER true);

COPY (
  SELECT p.person_id, r.reference_code, l.letter_version, p.channel, p.jurisdiction, n.notice_required, n.notice_reason,
    p.minor, p.deceased, p.records, p.customer_ids, p.elements, p.phrase, p.account_numbers, p.merge_reasons
  FROM people p JOIN person_refs r USING (person_id) JOIN person_letters l USING (person_id) JOIN person_notice n USING (person_id)
  ORDER BY p.person_id
) TO $people_path (FORMAT parquet, COMPRESSION zstd);
