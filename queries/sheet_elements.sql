-- Workbook sheet "Data elements": people per combination of exposed elements.
SELECT phrase, len(elements) AS element_count, count(*) AS people
FROM people
GROUP BY phrase, elements
