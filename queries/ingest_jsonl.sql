-- Parse the JSON-lines log lines of one source into the access table. Each
-- line is parsed once: every field's location (a JSON path from the case
-- file's fields: mapping) is in the bound list $paths, and v[n] is the
-- value at the n-th path (NULL when absent).
{{template "log_macros" .}}
CREATE OR REPLACE TEMP TABLE log_parse AS
WITH {{template "json_doc" .}}{{template "json_fields" .}}
{{template "log_typed" .}}
{{template "log_store" .}}
