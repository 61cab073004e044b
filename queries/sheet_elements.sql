-- Workbook sheet "Data elements": exposed customers per combination of exposed elements.
SELECT phrase, len(elements) AS element_count, count(*) AS customers
FROM exposed_customers
GROUP BY phrase, elements
