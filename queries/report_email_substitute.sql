-- The email and substitute lists, each with one exposed_<element> flag per
-- data element of the case next to the phrase.
COPY (
  SELECT bs_cell(reference_code) AS reference_code, letter_version, bs_cell(addressee) AS addressee,
    bs_cell(email) AS email, channel, bs_cell('your ' || phrase) AS exposed_data{{range $i, $e := .Elements}},
    list_contains(elements, $el_{{$i}}) AS {{ident (printf "exposed_%s" $e.Name)}}{{end}},
    accounts_last4, jurisdiction
  FROM notice_rows WHERE email IS NOT NULL
  ORDER BY reference_code
) TO $email_path (FORMAT csv, HEADER true, DELIMITER $delim);

COPY (
  SELECT bs_cell(reference_code) AS reference_code, letter_version, bs_cell(addressee) AS addressee,
    jurisdiction, bs_cell('your ' || phrase) AS exposed_data{{range $i, $e := .Elements}},
    list_contains(elements, $el_{{$i}}) AS {{ident (printf "exposed_%s" $e.Name)}}{{end}},
    accounts_last4,
    'no usable postal address or email' AS reason
  FROM notice_rows WHERE channel = 'substitute'
  ORDER BY reference_code
) TO $substitute_path (FORMAT csv, HEADER true, DELIMITER $delim);
