{{- /* TSV exports are read like CSV with a tab delimiter. */ -}}
{{template "ingest_csv.sql" .}}
