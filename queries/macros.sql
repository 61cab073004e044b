-- Normalisation of identifiers. The same macro is applied to the identifier
-- taken from a request and to the customer field it is matched against, so
-- both sides of the join are compared in one canonical form.

-- bs_trim strips spaces, tabs, CR and LF at both ends.
CREATE OR REPLACE TEMP MACRO bs_trim(s) AS trim(s, ' ' || chr(9) || chr(10) || chr(13));

-- text: trimmed; empty means absent.
CREATE OR REPLACE TEMP MACRO bs_norm_text(s) AS nullif(bs_trim(s), '');

-- email and lower: trimmed and case-folded.
CREATE OR REPLACE TEMP MACRO bs_norm_lower(s) AS nullif(lower(bs_trim(s)), '');

-- digits: every non-digit removed.
CREATE OR REPLACE TEMP MACRO bs_norm_digits(s) AS nullif(regexp_replace(s, '[^0-9]', '', 'g'), '');

-- account_number: spaces and dashes removed, upper case; when the API accepted
-- numbers with or without leading zeros, all-digit numbers lose them.
-- (Macros here avoid scalar subqueries: DuckDB plans those as joins that
-- cannot spill, which breaks --memory-limit on large tables.)
CREATE OR REPLACE TEMP MACRO bs_account_text(s) AS upper(regexp_replace(bs_trim(s), '[\s-]', '', 'g'));
CREATE OR REPLACE TEMP MACRO bs_norm_account(s, ignore_zeros) AS CASE
  WHEN bs_account_text(s) = '' THEN NULL
  WHEN ignore_zeros AND regexp_full_match(bs_account_text(s), '[0-9]+') THEN coalesce(nullif(ltrim(bs_account_text(s), '0'), ''), '0')
  ELSE bs_account_text(s) END;

-- phone: E.164 (+ country code + national number). Numbers in the plain
-- North American shapes are handled here; everything else (other countries,
-- extensions, letters, 00 prefixes) goes to bs_phone_e164, libphonenumber's
-- rules computed in Go. A number written with + carries its own country code;
-- a national number gets the case's default country code.
CREATE OR REPLACE TEMP MACRO bs_norm_phone(s, cc) AS CASE
  WHEN regexp_replace(s, '[^0-9]', '', 'g') = '' THEN NULL
  WHEN regexp_full_match(bs_trim(s), '\+1[\s.()-]*[2-9][0-9]{2}[\s.)-]*[0-9]{3}[\s.-]*[0-9]{4}') THEN '+' || regexp_replace(s, '[^0-9]', '', 'g')
  WHEN cc = '1' AND regexp_full_match(bs_trim(s), '(1[\s.-]*)?\(?[2-9][0-9]{2}\)?[\s.-]*[0-9]{3}[\s.-]*[0-9]{4}') THEN '+1' || right(regexp_replace(s, '[^0-9]', '', 'g'), 10)
  ELSE bs_phone_e164(bs_trim(s), cc) END;

-- bs_parse_date reads a date written 1987-03-14, 19870314, 14.03.1987, an
-- ISO timestamp, or with slashes in the source's order (mdy: 03/14/1987, the
-- US order; dmy: 14/03/1987). Anything else, or an impossible date, is NULL.
CREATE OR REPLACE TEMP MACRO bs_parse_date(s, date_order) AS CAST(CASE
  WHEN regexp_full_match(bs_trim(s), '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') THEN try_strptime(bs_trim(s), '%Y-%m-%d')
  WHEN regexp_full_match(bs_trim(s), '[0-9]{8}') THEN try_strptime(bs_trim(s), '%Y%m%d')
  WHEN regexp_full_match(bs_trim(s), '[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}') THEN try_strptime(bs_trim(s), '%d.%m.%Y')
  WHEN regexp_full_match(bs_trim(s), '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}') AND date_order = 'dmy' THEN try_strptime(bs_trim(s), '%d/%m/%Y')
  WHEN regexp_full_match(bs_trim(s), '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}') THEN try_strptime(bs_trim(s), '%m/%d/%Y')
  WHEN regexp_full_match(bs_trim(s), '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ].*') THEN try_cast(substr(bs_trim(s), 1, 10) AS TIMESTAMP)
END AS DATE);

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

-- Masking for sheets people read (the Individuals sheet): enough to tell
-- records apart and check a call-centre caller, not enough to be a second
-- leak. J*** S****, j***@example.com, ******4567, ***-**-1987.
CREATE OR REPLACE TEMP MACRO bs_mask_words(s) AS
  array_to_string(list_transform(string_split(s, ' '), w -> CASE WHEN w = '' THEN '' ELSE left(w, 1) || repeat('*', greatest(length(w) - 1, 3)) END), ' ');
CREATE OR REPLACE TEMP MACRO bs_mask_email(s) AS
  CASE WHEN contains(s, '@') THEN left(s, 1) || '***@' || split_part(s, '@', -1) ELSE bs_mask_words(s) END;
CREATE OR REPLACE TEMP MACRO bs_mask_tail(s, keep) AS
  CASE WHEN length(s) <= keep THEN repeat('*', length(s)) ELSE repeat('*', length(s) - keep) || right(s, keep) END;
CREATE OR REPLACE TEMP MACRO bs_mask_date(d) AS
  CASE WHEN d IS NULL THEN NULL ELSE '***-**-' || CAST(year(d) AS VARCHAR) END;

-- bs_truthy reads yes/no flags as customer tables write them.
CREATE OR REPLACE TEMP MACRO bs_truthy(s) AS
  lower(bs_trim(s)) IN ('1', 'true', 't', 'yes', 'y', 'x', 'deceased', 'd');

-- bs_email_usable: an address a notice can be emailed to.
CREATE OR REPLACE TEMP MACRO bs_email_usable(e) AS
  coalesce(regexp_full_match(bs_trim(e), '[^@\s]+@[^@\s.]+(\.[^@\s.]+)+'), false);
