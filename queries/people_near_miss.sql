-- Near-misses for review: records of different people that agree on
-- {{range $i, $f := .Agree}}{{if $i}}, {{end}}{{$f}}{{end}} but that no merge rule joined, with the fields that differ
-- (one row per pair of people).
INSERT INTO near_misses
WITH k AS (
  SELECT 'P-' || upper(substr(sha256(l.label), 1, 12)) AS person_id, pk.*
  FROM person_keys pk JOIN person_labels l USING (customer_id)
)
SELECT $rule, a.person_id, b.person_id,
  min(list_filter([
    CASE WHEN a.k_name IS DISTINCT FROM b.k_name THEN 'name' END,
    CASE WHEN a.k_email IS DISTINCT FROM b.k_email THEN 'email' END,
    CASE WHEN a.k_phone IS DISTINCT FROM b.k_phone THEN 'phone' END,
    CASE WHEN a.k_date_of_birth IS DISTINCT FROM b.k_date_of_birth THEN 'date_of_birth' END,
    CASE WHEN a.k_address IS DISTINCT FROM b.k_address THEN 'address' END,
    CASE WHEN a.k_account_number IS DISTINCT FROM b.k_account_number THEN 'account_number' END], x -> x IS NOT NULL))
FROM k a JOIN k b
  ON a.person_id < b.person_id{{range .Agree}} AND a.{{ident (printf "k_%s" .)}} = b.{{ident (printf "k_%s" .)}}{{end}}
GROUP BY a.person_id, b.person_id;
