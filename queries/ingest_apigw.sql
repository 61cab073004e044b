-- Parse AWS API Gateway access logs (one JSON object per line, keyed like
-- the $context variables it logs: requestId, ip, identity.apiKey,
-- authorizer.principalId, httpMethod, path, status, responseLength,
-- requestTime in common log format) into the access table. Fields the case
-- file does not map are found under those default keys; "-" means absent.
-- v[n] is the value at the n-th path of the bound list $paths.
{{template "log_macros" .}}
CREATE OR REPLACE TEMP TABLE log_parse AS
WITH {{template "json_doc" .}}{{template "json_fields" .}}
{{template "log_typed" .}}
{{template "log_store" .}}
