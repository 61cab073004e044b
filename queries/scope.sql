-- Scope: the attacker's requests. A request is in scope when it falls in the
-- window [start, end) and matches the indicators: any one of them (match:
-- any) or every kind that is configured (match: all). IP and user-agent hits
-- were computed over the distinct values (scope_ip_hits, scope_ua_hits).

CREATE OR REPLACE TABLE scoped AS
SELECT a.*,
  concat_ws('; ',
    CASE WHEN ip.indicator IS NOT NULL THEN 'ip ' || ip.indicator END,
    CASE WHEN p.principal IS NOT NULL THEN 'principal' END,
    CASE WHEN ua.indicator IS NOT NULL THEN 'user agent ' || ua.indicator END) AS matched_by
FROM access a
LEFT JOIN scope_ip_hits ip ON ip.client_ip = a.client_ip
LEFT JOIN scope_principals p ON p.principal = a.principal
LEFT JOIN scope_ua_hits ua ON ua.user_agent = a.user_agent
WHERE ($start IS NULL OR a.ts >= $start)
  AND ($end IS NULL OR a.ts < $end)
  AND CASE WHEN $match_all THEN
        (NOT $has_ips OR ip.indicator IS NOT NULL)
        AND (NOT $has_principals OR p.principal IS NOT NULL)
        AND (NOT $has_user_agents OR ua.indicator IS NOT NULL)
      ELSE ip.indicator IS NOT NULL OR p.principal IS NOT NULL OR ua.indicator IS NOT NULL END;
