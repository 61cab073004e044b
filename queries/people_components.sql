-- Connected components of the merge graph by label propagation: every
-- record starts as its own label and takes the smallest label among its
-- neighbours until nothing changes (Go repeats people_step.sql).
CREATE OR REPLACE TEMP TABLE person_adjacent AS
SELECT customer_id AS a, target AS b FROM person_edges WHERE customer_id <> target
UNION
SELECT target, customer_id FROM person_edges WHERE customer_id <> target;

CREATE OR REPLACE TEMP TABLE person_labels AS
SELECT customer_id, customer_id AS label FROM person_keys;
