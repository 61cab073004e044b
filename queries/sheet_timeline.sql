-- Workbook sheet "Timeline": per UTC day of the attack, in-scope requests,
-- requests that matched a customer, customers exposed for the first time
-- that day, and the running total.
WITH days AS (
  SELECT CAST(unnest(generate_series(CAST(min(ts) AS DATE), CAST(max(ts) AS DATE), INTERVAL 1 DAY)) AS DATE) AS day
  FROM in_scope
),
req AS (
  SELECT CAST(ts AS DATE) AS day, count(*) AS requests, count(*) FILTER (WHERE outcome = 'matched') AS matched
  FROM in_scope GROUP BY 1
),
newly AS (
  SELECT CAST(first_exposed AS DATE) AS day, count(*) AS customers FROM exposed_customers GROUP BY 1
)
SELECT d.day, coalesce(r.requests, 0) AS requests, coalesce(r.matched, 0) AS matched,
  coalesce(n.customers, 0) AS newly_exposed,
  CAST(sum(coalesce(n.customers, 0)) OVER (ORDER BY d.day) AS BIGINT) AS cumulative
FROM days d LEFT JOIN req r USING (day) LEFT JOIN newly n USING (day)
