-- Baseline A, "the floor": the bare join an expert would write by hand for a
-- synthetic case (breachscope synth), nothing else. No provenance (file,
-- line), no reject accounting, no people, notices, workbook or manifest.
-- The case's facts are written in, as an expert would for one case:
--   window 2022-11-25 .. 2023-01-06 (UTC); attacker = 203.0.113.0/24 or
--   API key key-partner-7731; success = status 200-299 and at least 1 byte;
--   GET /api/v1/accounts/{account number, leading zeros ignored} and
--   GET /api/v1/lines?msisdn={phone, NANP}.
-- The runner sets the variables customers, logs (a glob) and out.

CREATE TABLE customers AS
SELECT * FROM read_csv(getvariable('customers'), all_varchar = true, header = true);

CREATE TABLE logs AS
SELECT * FROM read_json(getvariable('logs'), format = 'newline_delimited', ignore_errors = true,
  columns = {ts: 'VARCHAR', request_id: 'VARCHAR', client: 'STRUCT(ip VARCHAR)', api_key: 'VARCHAR',
             method: 'VARCHAR', path: 'VARCHAR', query: 'VARCHAR', status: 'INTEGER', bytes: 'BIGINT',
             user_agent: 'VARCHAR'});

CREATE TABLE attacker AS
SELECT path, query, try_cast(ts AS TIMESTAMP) AS ts
FROM logs
WHERE (client.ip LIKE '203.0.113.%' OR api_key = 'key-partner-7731')
  AND try_cast(ts AS TIMESTAMP) >= TIMESTAMP '2022-11-25' AND try_cast(ts AS TIMESTAMP) < TIMESTAMP '2023-01-06'
  AND method = 'GET' AND status BETWEEN 200 AND 299 AND bytes >= 1;

CREATE TABLE hits AS
WITH ids AS (
  SELECT ts,
    CASE WHEN path = '/api/v1/lines' THEN 'phone' ELSE 'account' END AS kind,
    CASE WHEN path = '/api/v1/lines'
      THEN regexp_replace(url_decode(regexp_extract(query, '(?:^|&)msisdn=([^&]*)', 1)), '[^0-9]', '', 'g')
      ELSE regexp_extract(path, '^/api/v1/accounts/([0-9]+)$', 1) END AS id
  FROM attacker
  WHERE path = '/api/v1/lines' OR path LIKE '/api/v1/accounts/%'
), keyed AS (
  SELECT ts, kind,
    CASE WHEN kind = 'phone' THEN CASE WHEN length(id) = 11 AND id[1] = '1' THEN id[2:] ELSE id END
         ELSE CAST(try_cast(id AS HUGEINT) AS VARCHAR) END AS id
  FROM ids WHERE id <> ''
), cust AS (
  SELECT cust_id, CAST(try_cast(account_no AS HUGEINT) AS VARCHAR) AS account,
    CASE WHEN length(d) = 11 AND d[1] = '1' THEN d[2:] ELSE d END AS phone
  FROM (SELECT cust_id, account_no, regexp_replace(phone, '[^0-9]', '', 'g') AS d FROM customers)
)
SELECT c.cust_id, k.ts, k.kind FROM keyed k JOIN cust c ON k.kind = 'account' AND c.account = k.id
UNION ALL
SELECT c.cust_id, k.ts, k.kind FROM keyed k JOIN cust c ON k.kind = 'phone' AND c.phone = k.id;

CREATE TABLE exposed AS
SELECT cust_id AS customer_id, count(*) AS requests, min(ts) AS first_exposed, max(ts) AS last_exposed,
  bool_or(kind = 'account') AS full_record
FROM hits GROUP BY cust_id;
