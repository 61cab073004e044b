-- One round of label propagation (see people_components.sql).
CREATE OR REPLACE TEMP TABLE person_labels_next AS
SELECT l.customer_id, least(l.label, coalesce(min(n.label), l.label)) AS label
FROM person_labels l
LEFT JOIN person_adjacent a ON a.a = l.customer_id
LEFT JOIN person_labels n ON n.customer_id = a.b
GROUP BY l.customer_id, l.label;
