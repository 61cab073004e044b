-- Normalisation of identifiers. The same macro is applied to the identifier
-- taken from a request and to the customer field it is matched against, so
-- both sides of the join are compared in one canonical form.

-- text: trimmed; empty means absent.
CREATE OR REPLACE TEMP MACRO bs_norm_text(s) AS nullif(trim(s), '');

-- email and lower: trimmed and case-folded.
CREATE OR REPLACE TEMP MACRO bs_norm_lower(s) AS nullif(lower(trim(s)), '');

-- digits: every non-digit removed.
CREATE OR REPLACE TEMP MACRO bs_norm_digits(s) AS nullif(regexp_replace(s, '[^0-9]', '', 'g'), '');

-- account_number: spaces and dashes removed, upper case; when the API accepted
-- numbers with or without leading zeros, all-digit numbers lose them.
CREATE OR REPLACE TEMP MACRO bs_norm_account(s, ignore_zeros) AS (
  SELECT CASE
    WHEN x = '' THEN NULL
    WHEN ignore_zeros AND regexp_full_match(x, '[0-9]+') THEN coalesce(nullif(ltrim(x, '0'), ''), '0')
    ELSE x END
  FROM (SELECT upper(regexp_replace(trim(s), '[\s-]', '', 'g')) AS x)
);

-- phone: E.164 (+ country code + national number). A number written with +
-- or 00 carries its own country code; a national number gets the case's
-- default country code (for +1, 10 digits, or 11 starting with 1; elsewhere a
-- leading trunk 0 is dropped).
CREATE OR REPLACE TEMP MACRO bs_norm_phone(s, cc) AS (
  SELECT CASE
    WHEN d = '' THEN NULL
    WHEN starts_with(t, '+') THEN '+' || d
    WHEN starts_with(d, '00') THEN '+' || substr(d, 3)
    WHEN cc = '1' AND length(d) = 10 THEN '+1' || d
    WHEN cc = '1' AND length(d) = 11 AND starts_with(d, '1') THEN '+' || d
    WHEN cc <> '1' AND starts_with(d, '0') THEN '+' || cc || ltrim(d, '0')
    ELSE '+' || cc || d END
  FROM (SELECT trim(s) AS t, regexp_replace(s, '[^0-9]', '', 'g') AS d)
);

-- bs_normalize dispatches on the normaliser named in the case file.
CREATE OR REPLACE TEMP MACRO bs_normalize(normalizer, s, cc, ignore_zeros) AS CASE normalizer
  WHEN 'text' THEN bs_norm_text(s)
  WHEN 'lower' THEN bs_norm_lower(s)
  WHEN 'email' THEN bs_norm_lower(s)
  WHEN 'digits' THEN bs_norm_digits(s)
  WHEN 'account_number' THEN bs_norm_account(s, ignore_zeros)
  WHEN 'phone' THEN bs_norm_phone(s, cc)
  END;

-- bs_cell makes a string safe for a spreadsheet opened by a person: a cell
-- starting with = + - @ tab CR or LF would be read as a formula, so it is
-- prefixed with a single quote.
CREATE OR REPLACE TEMP MACRO bs_cell(s) AS
  CASE WHEN regexp_matches(s, '^[=+\-@\t\r\n]') THEN '''' || s ELSE s END;

-- bs_phrase joins labels as English: "a", "a and b", "a, b and c".
CREATE OR REPLACE TEMP MACRO bs_phrase(labels) AS CASE
  WHEN len(labels) = 0 THEN ''
  WHEN len(labels) = 1 THEN labels[1]
  ELSE array_to_string(labels[1:len(labels) - 1], ', ') || ' and ' || labels[len(labels)] END;
