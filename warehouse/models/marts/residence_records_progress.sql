-- Grain: (plan, unit, domain, period). Residence records (households and
-- persons) digitised, cleansed and authenticated against the population DB;
-- cum_ columns add every period up to this one (a record counts in the period
-- of its latest update). Every unit has a row in every period of the plan
-- (count_if over a unit-period without records is NULL in DuckDB: 0 here).
WITH records AS (
    SELECT * FROM core.residence_records WHERE plan_id = $plan_id
),

spine AS (
    SELECT DISTINCT u.unit_code, u.domain, p.period
    FROM records AS u CROSS JOIN (SELECT DISTINCT period FROM records) AS p
),

-- count_if of a unit's empty period (the LEFT JOIN's NULL row) is NULL in DuckDB: 0
counted AS (
    SELECT
        s.unit_code,
        s.domain,
        s.period,
        count(x.record_id) AS records,
        coalesce(count_if(x.digitised), 0) AS records_digitised,
        coalesce(count_if(x.cleansed), 0) AS records_cleansed,
        coalesce(count_if(x.authenticated), 0) AS records_authenticated
    FROM spine AS s
    LEFT JOIN records AS x USING (unit_code, domain, period)
    GROUP BY ALL
)

SELECT
    $plan_id AS plan_id,
    *,
    sum(records) OVER w AS cum_records,
    sum(records_digitised) OVER w AS cum_records_digitised,
    sum(records_cleansed) OVER w AS cum_records_cleansed,
    sum(records_authenticated) OVER w AS cum_records_authenticated
FROM counted
WINDOW w AS (PARTITION BY unit_code, domain ORDER BY period)
