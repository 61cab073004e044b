-- One mail batch (mail_rows is stored in batch order, so the scan reads only
-- this batch's row groups).
COPY (
  SELECT bs_cell(reference_code) AS reference_code, letter_version, bs_cell(addressee) AS addressee,
    bs_cell(address_line1) AS address_line1, bs_cell(address_line2) AS address_line2, bs_cell(city) AS city,
    state, bs_cell(postal_code) AS postal_code, country,
    bs_cell('your ' || phrase) AS exposed_data{{range $i, $e := .Elements}},
    list_contains(elements, $el_{{$i}}) AS {{ident (printf "exposed_%s" $e.Name)}}{{end}},
    accounts_last4, jurisdiction
  FROM mail_rows WHERE batch = $batch
  ORDER BY postal_code, reference_code
) TO $path (FORMAT csv, HEADER true, DELIMITER $delim);
