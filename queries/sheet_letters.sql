-- Workbook sheet "Letter versions": the legend the mail house needs.
SELECT code, CASE audience WHEN 'A' THEN 'adult' WHEN 'M' THEN 'minor: to the parent or guardian' ELSE 'deceased: to the estate' END AS audience,
  jurisdiction_group, phrase, people
FROM letter_versions
