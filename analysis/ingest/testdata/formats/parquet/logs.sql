-- A SIEM's Parquet export, written by the test: event_time as a real
-- timestamp with time zone in one file and as text in another (exports
-- differ), status as an integer, rows with missing or bad values.
COPY (
  SELECT * FROM (VALUES
    (TIMESTAMPTZ '2022-11-25 03:14:15.250+00', 'r1', '203.0.113.7', 'key-partner-7731', 'GET', '/api/v1/accounts/0001234', '', 200, 512, 'python-requests/2.28.1'),
    (TIMESTAMPTZ '2022-11-25 03:14:16-08', 'r2', '198.51.100.4', NULL, 'get', '/api/v1/lines', '?msisdn=%2B15552010001', 200, NULL, NULL),
    (NULL, 'r3', '198.51.100.5', NULL, 'GET', '/no-time', '', 200, 1, NULL),
    (TIMESTAMPTZ '2022-11-25 03:14:17+00', 'r4', '198.51.100.6', NULL, NULL, '/no-method', '', 200, 1, NULL),
    (TIMESTAMPTZ '2022-11-25 03:14:18+00', 'r5', '198.51.100.7', NULL, 'GET', '/no-status', '', NULL, 1, NULL)
  ) t(event_time, req_id, client_ip, principal, method, path, query, status, bytes, ua)
) TO '{{dir}}/export-1.parquet' (FORMAT parquet);
COPY (
  SELECT * FROM (VALUES
    ('2022-11-26T10:00:00+01:00', 'r6', '203.0.113.9', 'key-partner-7731', 'GET', '/api/v1/accounts/42', '', 200, 700, 'curl/8.0'),
    ('1669456800', 'r7', '203.0.113.9', NULL, 'GET', '/epoch-seconds', '', 200, 1, NULL),
    ('not-a-time', 'r8', '203.0.113.9', NULL, 'GET', '/bad-time', '', 200, 1, NULL),
    ('2022-11-26 10:00:00', 'r9', '203.0.113.9', NULL, 'GET', '/naive-time', '', 999, -1, NULL)
  ) t(event_time, req_id, client_ip, principal, method, path, query, status, bytes, ua)
) TO '{{dir}}/export-2.parquet' (FORMAT parquet);
