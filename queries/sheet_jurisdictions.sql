-- Workbook sheet "Jurisdictions": people per jurisdiction, notices required,
-- thresholds met and deadlines, with the rule's source.
SELECT code, name, people, notice_required, undetermined, regulator, regulator_threshold, regulator_threshold_met,
  cra_threshold, cra_threshold_met, deadline, regulator_deadline, citation, as_of, unverified
FROM jurisdictions
