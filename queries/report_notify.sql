-- The mail house's files: mail-NNNN.csv for people with a usable postal
-- address (in batches, by postal code then reference code), email.csv for
-- people with a usable email (whether or not they are also mailed), and
-- substitute.csv for people with neither. Every text cell is neutralised
-- against formula injection. Account numbers show their last four digits.
CREATE OR REPLACE TEMP TABLE notice_rows AS
SELECT r.reference_code, l.letter_version, l.addressee, p.*,
  array_to_string(list_transform(p.account_numbers, a -> '...' || right(a, 4)), '; ') AS accounts_last4
FROM people p
JOIN person_refs r USING (person_id)
JOIN person_letters l USING (person_id);

CREATE OR REPLACE TEMP TABLE mail_rows AS
SELECT *, CAST((row_number() OVER (ORDER BY postal_code, reference_code) - 1) // $batch_size + 1 AS INTEGER) AS batch
FROM notice_rows WHERE channel = 'mail'
ORDER BY postal_code, reference_code;
