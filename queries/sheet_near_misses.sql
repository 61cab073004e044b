-- Workbook sheet "Near misses": people that agree on a near-miss rule's
-- fields but that no merge rule joined, for review.
SELECT rule, person_a, person_b, array_to_string(differs, ', ') AS differs FROM near_misses
