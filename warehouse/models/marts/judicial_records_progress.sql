-- Grain: (plan, unit, domain, period). Judicial-record certificates issued in
-- the reporting month and those issued through VNeID; cum_ columns add every
-- period up to this one. Every unit has a row in every period of the plan.
WITH counts AS (
    SELECT * FROM core.judicial_records WHERE plan_id = $plan_id
),

spine AS (
    SELECT DISTINCT u.unit_code, u.domain, p.period
    FROM counts AS u CROSS JOIN (SELECT DISTINCT period FROM counts) AS p
),

counted AS (
    SELECT
        s.unit_code,
        s.domain,
        s.period,
        coalesce(sum(x.certificates_issued), 0) AS certificates_issued,
        coalesce(sum(x.certificates_vneid), 0) AS certificates_vneid
    FROM spine AS s
    LEFT JOIN counts AS x USING (unit_code, domain, period)
    GROUP BY ALL
)

SELECT
    $plan_id AS plan_id,
    *,
    sum(certificates_issued) OVER w AS cum_certificates_issued,
    sum(certificates_vneid) OVER w AS cum_certificates_vneid
FROM counted
WINDOW w AS (PARTITION BY unit_code, domain ORDER BY period)
