-- Parse the JSON-lines log lines of one source into the access table. Each
-- line is parsed once into v, the values at every field's location (a JSON
-- path from the case file's fields: mapping), NULL when absent: a struct
-- when every location is a plain chain of keys (json_transform with the
-- bound $structure), else a list, v[n] being the value at the n-th path of
-- the bound list $paths.
{{template "log_macros" .}}
{{template "log_insert" .}}WITH {{template "json_doc" .}}{{template "json_fields" .}}
{{template "log_typed" .}}
{{template "log_store" .}}
