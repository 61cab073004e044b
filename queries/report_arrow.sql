-- One page of the people Arrow export, keyset-paged on person_id. Names and
-- addresses stay in the case database; analysts join on person_id.
SELECT p.person_id, r.reference_code, l.letter_version, p.channel, p.jurisdiction, p.minor, p.deceased,
  p.records, p.customer_ids, p.elements, p.phrase
FROM people p JOIN person_refs r USING (person_id) JOIN person_letters l USING (person_id)
WHERE ? OR p.person_id > ?
ORDER BY p.person_id
LIMIT ?
