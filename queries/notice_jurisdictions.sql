-- Per person: notice required or not under their jurisdiction's rule, and
-- why. Per jurisdiction: people affected, people whose notice is required,
-- whether the regulator and consumer-reporting-agency thresholds are met
-- (counted over people whose notice is required), and the deadlines from
-- the case's discovery date.
CREATE OR REPLACE TABLE person_notice AS
SELECT p.person_id, d.required AS notice_required, d.reason AS notice_reason
FROM people p
LEFT JOIN notice_decisions d
  ON d.jurisdiction = coalesce(p.jurisdiction, '') AND d.elements = array_to_string(p.elements, ',');

CREATE OR REPLACE TABLE jurisdictions AS
WITH per AS (
  SELECT coalesce(p.jurisdiction, '') AS code, count(*) AS people,
    count(*) FILTER (WHERE n.notice_required) AS notice_required,
    count(*) FILTER (WHERE n.notice_required IS NULL) AS undetermined
  FROM people p JOIN person_notice n USING (person_id)
  GROUP BY ALL
)
SELECT per.code, coalesce(r.name, CASE WHEN per.code = '' THEN 'unknown (no usable address)' ELSE 'no rule in the table' END) AS name,
  per.people, per.notice_required, per.undetermined,
  r.regulator,
  r.regulator_threshold,
  r.regulator_threshold > 0 AND per.notice_required >= r.regulator_threshold AS regulator_threshold_met,
  r.cra_threshold,
  r.cra_threshold > 0 AND per.notice_required >= r.cra_threshold AS cra_threshold_met,
  CASE WHEN r.deadline_days > 0 THEN CAST($discovery AS DATE) + CAST(r.deadline_days AS INTEGER) END AS deadline,
  CASE WHEN r.regulator_deadline_days > 0 THEN CAST($discovery AS DATE) + CAST(r.regulator_deadline_days AS INTEGER) END AS regulator_deadline,
  r.citation, r.as_of, r.unverified
FROM per LEFT JOIN notice_rules r USING (code);
