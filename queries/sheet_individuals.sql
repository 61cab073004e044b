-- Workbook sheet "Individuals": one row per exposed customer. Personal data
-- is masked unless the run was made with --unmasked.
SELECT r.reference_code, x.customer_id,
{{- if .Unmasked}}
  coalesce(c.full_name, nullif(concat_ws(' ', c.first_name, c.last_name), '')) AS name,
  c.address_line1, c.email, c.phone, c.date_of_birth, c.account_number,
{{- else}}
  bs_mask_words(coalesce(c.full_name, nullif(concat_ws(' ', c.first_name, c.last_name), ''))) AS name,
  bs_mask_words(c.address_line1) AS address_line1, bs_mask_email(c.email) AS email,
  bs_mask_tail(c.phone, 4) AS phone, bs_mask_date(c.birth_date) AS date_of_birth, bs_mask_tail(c.account_number, 4) AS account_number,
{{- end}}
  c.city, c.state, c.postal_code, c.country,
  x.phrase, x.requests, x.first_exposed, x.first_source_file, x.first_source_line
FROM exposed_customers x
JOIN customers c USING (customer_id)
JOIN notice_refs r USING (customer_id)
