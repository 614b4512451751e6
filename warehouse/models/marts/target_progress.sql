-- Grain: (plan, target, period). Each target's KPI over its scope (a domain,
-- or 'all' = the plan's domains), the change since the previous period, the
-- trend over the last three periods, and the month that trend reaches the
-- target (only where a trend exists; NULL when it never does within ten
-- years), flagged when that is after the due date or never; gap = what is
-- left to the target; status (warehouse/seeds/progress.yaml): no_data, met
-- (reached in each of the last N periods), overdue (due date passed by the
-- period end, not met), on_track, no_trend, behind, in that order;
-- batch_ids = the batches behind the value. kpi_long is the long form of every
-- KPI's mart built from warehouse/kpis.yaml.
WITH plan AS (
    SELECT domains FROM core.plans WHERE plan_id = $plan_id
),

scoped AS (
    SELECT
        t.target_id,
        t.kpi,
        t.scope,
        t.target_value,
        t.due_date,
        t.task_group_id,
        k.period,
        sum(k.numerator) / nullif(sum(k.denominator), 0) AS current_value,
        list_sort(list_distinct(flatten(list(k.batch_ids)))) AS batch_ids,
        year(strptime(k.period, '%Y-%m')) * 12 + month(strptime(k.period, '%Y-%m')) AS month_index
    FROM core.targets AS t
    INNER JOIN kpi_long AS k ON t.plan_id = k.plan_id AND t.kpi = k.kpi
    CROSS JOIN plan
    WHERE
        t.plan_id = $plan_id
        AND (k.domain = t.scope OR (t.scope = 'all' AND list_contains(plan.domains, k.domain)))
    GROUP BY ALL
),

trended AS (
    SELECT
        *,
        lag(current_value) OVER (PARTITION BY target_id ORDER BY month_index) AS previous_value,
        -- NULL, not NaN, when there is a single point: NaN would compare unequal
        -- to itself and make reruns look different.
        nullif(regr_slope(current_value, month_index) OVER (
            PARTITION BY target_id ORDER BY month_index ROWS BETWEEN 2 PRECEDING AND CURRENT ROW
        ), 'NaN'::DOUBLE) AS monthly_trend,
        ceil((target_value - current_value) / monthly_trend) AS months_to_target,
        -- periods in a row, up to this one, whose value reached the target
        count_if(current_value >= target_value) OVER recent AS recent_met,
        count(*) OVER recent AS recent_periods
    FROM scoped
    WINDOW recent AS (
        PARTITION BY target_id ORDER BY month_index
        ROWS BETWEEN (SELECT value::INTEGER - 1 FROM core.progress_settings
            WHERE setting = 'met_sustained_periods') PRECEDING AND CURRENT ROW
    )
),

statused AS (
    SELECT
        *,
        CASE
            WHEN monthly_trend IS NULL THEN NULL
            WHEN current_value >= target_value THEN last_day(strptime(period, '%Y-%m'))
            WHEN monthly_trend > 0 AND months_to_target <= 120
                THEN last_day(strptime(period, '%Y-%m') + to_months(months_to_target::INTEGER))
        END AS forecast_date,
        CASE
            WHEN current_value IS NULL THEN 'no_data'
            WHEN recent_met = (SELECT value FROM core.progress_settings
                WHERE setting = 'met_sustained_periods') THEN 'met'
            WHEN due_date < last_day(strptime(period, '%Y-%m')) THEN 'overdue'
            WHEN current_value >= target_value THEN 'on_track'
            WHEN monthly_trend IS NULL THEN 'no_trend'
            WHEN forecast_date <= due_date THEN 'on_track'
            ELSE 'behind'
        END AS status
    FROM trended
)

SELECT
    $plan_id AS plan_id,
    target_id,
    period,
    kpi,
    scope,
    current_value,
    previous_value,
    target_value,
    due_date,
    monthly_trend,
    forecast_date,
    coalesce(current_value >= target_value, false) AS met,
    status IN ('met', 'on_track') AS on_track,
    task_group_id,
    greatest(target_value - current_value, 0) AS gap,
    NOT met AND coalesce(forecast_date > due_date, true) AS forecast_after_due,
    status,
    (SELECT label_vi FROM core.target_statuses AS l WHERE l.status = statused.status) AS status_vi,
    batch_ids
FROM statused
