-- Edges of one merge rule: records whose {{range $i, $f := .Agree}}{{if $i}}, {{end}}{{$f}}{{end}} agree are linked to the
-- smallest customer id among them. A not_conflict field that takes several
-- values in a group splits it by value; a record missing that field then
-- links to nobody through this rule (it could be either person).
INSERT INTO person_edges
WITH g AS (
  SELECT customer_id{{range .Agree}}, {{ident (printf "k_%s" .)}}{{end}}{{range $i, $f := .NotConflict}},
    {{ident (printf "k_%s" $f)}},
    count(DISTINCT {{ident (printf "k_%s" $f)}}) OVER (PARTITION BY {{range $j, $a := $.Agree}}{{if $j}}, {{end}}{{ident (printf "k_%s" $a)}}{{end}}) AS {{ident (printf "nd_%d" $i)}}{{end}}
  FROM person_keys
  WHERE {{range $i, $f := .Agree}}{{if $i}} AND {{end}}{{ident (printf "k_%s" $f)}} IS NOT NULL{{end}}
)
SELECT customer_id,
  min(customer_id) OVER (PARTITION BY {{range $j, $a := .Agree}}{{if $j}}, {{end}}{{ident (printf "k_%s" $a)}}{{end}}{{range $i, $f := .NotConflict}},
    CASE WHEN {{ident (printf "nd_%d" $i)}} > 1 THEN {{ident (printf "k_%s" $f)}} END{{end}}),
  $rule
FROM g
WHERE true{{range $i, $f := .NotConflict}} AND ({{ident (printf "nd_%d" $i)}} <= 1 OR {{ident (printf "k_%s" $f)}} IS NOT NULL){{end}};
