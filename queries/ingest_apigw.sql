-- Parse AWS API Gateway access logs (one JSON object per line, keyed like
-- the $context variables it logs: requestId, ip, identity.apiKey,
-- authorizer.principalId, httpMethod, path, status, responseLength,
-- requestTime in common log format) into the access table. Fields the case
-- file does not map are found under those default keys; "-" means absent.
-- v holds the values at those keys (see ingest_jsonl.sql).
{{template "log_macros" .}}
{{template "log_insert" .}}WITH {{template "json_doc" .}}{{template "json_fields" .}}
{{template "log_typed" .}}
{{template "log_store" .}}
