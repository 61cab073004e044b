-- Triage: rank clients by enumeration signals when the attacker's
-- indicators are unknown. Every request (triage_requests, built by
-- endpoint_match.sql from all of access) counts once for each client
-- dimension: IP (port dropped), IPv4 /24, principal, user agent.

CREATE OR REPLACE TEMP TABLE triage_long AS
WITH r AS (
  SELECT event_id, ts, status, endpoint_id, identifier, principal, user_agent,
    CASE WHEN regexp_full_match(client_ip, '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+') THEN split_part(client_ip, ':', 1) ELSE client_ip END AS ip
  FROM triage_requests
)
SELECT 'ip' AS kind, ip AS client, * EXCLUDE (ip, principal, user_agent) FROM r WHERE ip IS NOT NULL
UNION ALL
SELECT 'net24', regexp_replace(ip, '\.[0-9]+$', '.0/24'), * EXCLUDE (ip, principal, user_agent) FROM r
WHERE regexp_full_match(ip, '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+')
UNION ALL
SELECT 'principal', principal, * EXCLUDE (ip, principal, user_agent) FROM r WHERE principal IS NOT NULL
UNION ALL
SELECT 'user_agent', user_agent, * EXCLUDE (ip, principal, user_agent) FROM r WHERE user_agent IS NOT NULL;

-- Per client: volume, distinct identifiers, the share of identifiers one to
-- ten above or below the client's previous one on the same endpoint
-- (enumeration), the share of 401/403/404 answers (probing), night-time
-- share (00-06 UTC), volume against the population's 99th percentile and
-- the busiest day against the client's own median day. The score multiplies
-- distinct identifiers by how little the client repeats itself and by how
-- sequential and probing it is; every factor is shown next to it.
CREATE OR REPLACE TABLE triage AS
WITH steps AS (
  SELECT *, abs(n - lag(n) OVER (PARTITION BY kind, client, endpoint_id ORDER BY ts, event_id)) AS step
  FROM (SELECT *, try_cast(nullif(regexp_replace(identifier, '[^0-9]', '', 'g'), '') AS DOUBLE) AS n FROM triage_long)
),
stats AS (
  SELECT kind, client,
    count(*) AS requests,
    count(endpoint_id) AS endpoint_requests,
    count(DISTINCT identifier) AS distinct_identifiers,
    count(*) FILTER (WHERE step BETWEEN 1 AND 10) / greatest(count(step), 1) AS sequential_share,
    count(*) FILTER (WHERE status IN (401, 403, 404)) / count(*) AS probe_share,
    count(*) FILTER (WHERE hour(ts) < 6) / count(*) AS night_share,
    min(ts) AS first_seen,
    max(ts) AS last_seen
  FROM steps
  GROUP BY kind, client
),
days AS (
  SELECT kind, client, max(n) / median(n) AS peak_vs_baseline
  FROM (SELECT kind, client, CAST(ts AS DATE) AS day, count(*) AS n FROM triage_long GROUP BY ALL)
  GROUP BY kind, client
),
p99 AS (
  SELECT kind, quantile_cont(requests, 0.99) AS p99 FROM stats GROUP BY kind
),
scored AS (
  SELECT s.*,
    s.distinct_identifiers / greatest(s.endpoint_requests, 1) AS distinct_ratio,
    s.requests / p99.p99 AS volume_vs_p99,
    d.peak_vs_baseline
  FROM stats s JOIN p99 USING (kind) JOIN days d USING (kind, client)
)
SELECT *, row_number() OVER (PARTITION BY kind ORDER BY score DESC, client) AS rank
FROM (SELECT *, distinct_identifiers * distinct_ratio * (0.1 + sequential_share) * (1 + probe_share) AS score FROM scored);
