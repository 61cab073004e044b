-- Workbook sheet "Individuals": one row per person to notify. Personal data
-- is masked unless the run was made with --unmasked.
SELECT r.reference_code, p.person_id,
{{- if .Unmasked}}
  l.addressee, p.address_line1, p.email, strftime(p.birth_date, '%Y-%m-%d') AS date_of_birth,
  array_to_string(p.account_numbers, '; ') AS account_numbers,
{{- else}}
  CASE l.audience WHEN 'D' THEN 'To the estate of ' WHEN 'M' THEN 'To the parent or guardian of ' ELSE '' END
    || bs_mask_words(p.name) AS addressee,
  bs_mask_words(p.address_line1) AS address_line1, bs_mask_email(p.email) AS email, bs_mask_date(p.birth_date) AS date_of_birth,
  array_to_string(list_transform(p.account_numbers, a -> bs_mask_tail(a, 4)), '; ') AS account_numbers,
{{- end}}
  p.city, p.state, p.postal_code, p.country, p.jurisdiction, n.notice_required, n.notice_reason, p.channel, l.letter_version,
  p.phrase, p.records, array_to_string(p.merge_reasons, '; ') AS merge_reasons
FROM people p
JOIN person_refs r USING (person_id)
JOIN person_letters l USING (person_id)
JOIN person_notice n USING (person_id)
