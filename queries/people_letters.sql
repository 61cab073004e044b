-- Letter versions: one per combination of audience (A adult, M minor at the
-- reference date, D deceased: the notice goes to the estate), exposed
-- elements and jurisdiction group (US, EU, INT elsewhere, UNK unknown), so
-- the mail house knows which template each person gets. Element
-- combinations are numbered in a fixed order (more elements first, then by
-- name) so codes are stable across re-runs.
CREATE OR REPLACE TABLE person_letters AS
WITH combos AS (
  SELECT elements, row_number() OVER (ORDER BY len(elements) DESC, array_to_string(elements, ',')) AS n
  FROM (SELECT DISTINCT elements FROM people)
),
p AS (
  SELECT p.person_id, p.name, p.elements, p.phrase, c.n,
    CASE WHEN p.deceased THEN 'D' WHEN p.minor THEN 'M' ELSE 'A' END AS audience,
    CASE WHEN p.jurisdiction = 'US' OR p.jurisdiction LIKE 'US-%' THEN 'US' WHEN p.jurisdiction = 'EU-GDPR' THEN 'EU'
         WHEN p.jurisdiction IS NULL THEN 'UNK' ELSE 'INT' END AS jurisdiction_group
  FROM people p JOIN combos c USING (elements)
)
SELECT person_id, audience, jurisdiction_group, elements, phrase,
  audience || lpad(CAST(n AS VARCHAR), 2, '0') || '-' || jurisdiction_group AS letter_version,
  CASE audience WHEN 'D' THEN 'To the estate of ' || name
                WHEN 'M' THEN 'To the parent or guardian of ' || name
                ELSE name END AS addressee
FROM p;

CREATE OR REPLACE TABLE letter_versions AS
SELECT letter_version AS code, audience, any_value(elements) AS elements, any_value(phrase) AS phrase,
  jurisdiction_group, count(*) AS people
FROM person_letters
GROUP BY letter_version, audience, jurisdiction_group;
