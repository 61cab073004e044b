-- The rows of the people Arrow export, numbered once in person_id order
-- (bs_n) so that Go reads them page by page (report_arrow_page.sql): a
-- page that joined and sorted all people again would make the export
-- quadratic. Names and addresses stay in the case database; analysts join
-- on person_id.
CREATE OR REPLACE TEMP TABLE bs_arrow AS
SELECT row_number() OVER (ORDER BY p.person_id) AS bs_n,
  p.person_id, r.reference_code, l.letter_version, p.channel, p.jurisdiction, p.minor, p.deceased,
  p.records, p.customer_ids, p.elements, p.phrase
FROM people p JOIN person_refs r USING (person_id) JOIN person_letters l USING (person_id)
ORDER BY bs_n;
