-- The rows of the people Arrow export, in person_id order, as a Parquet
-- file Go converts batch by batch (Arrow's Parquet reader hands it whole
-- columns; reading them through database/sql cost several microseconds a
-- row). Names and addresses stay in the case database; analysts join on
-- person_id.
COPY (
  SELECT p.person_id, r.reference_code, l.letter_version, p.channel, p.jurisdiction, p.minor, p.deceased,
    p.records, p.customer_ids, p.elements, p.phrase
  FROM people p JOIN person_refs r USING (person_id) JOIN person_letters l USING (person_id)
  ORDER BY p.person_id
) TO $path (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 65536);
