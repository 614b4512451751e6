-- Grain: (plan, unit, period, indicator). Decision 766 points per indicator
-- from the unit's dossier counts over all domains; weights and thresholds are
-- core.score_indicators (warehouse/seeds/scoring_766.yaml). A rate at or above
-- the threshold earns max_points, else rate x max_points / threshold; 2
-- decimals; an empty denominator is N/A (NULL points). The sub-indicators
-- dossiers cannot give (core.score_unmeasured) come from the service_indicators
-- dataset (core.service_indicators) when the plan loads it.
WITH counts AS (
    SELECT
        plan_id,
        unit_code,
        period,
        sum(COLUMNS('^dossiers_'))::BIGINT,
        list_sort(list_distinct(flatten(list(batch_ids)))) AS batch_ids
    FROM marts.dossier_kpis WHERE plan_id = $plan_id
    GROUP BY plan_id, unit_code, period
),

long AS (
    UNPIVOT (SELECT * EXCLUDE (batch_ids) FROM counts)
    ON COLUMNS('^dossiers_') INTO NAME counter VALUE n
),

rated AS (
    SELECT
        c.plan_id,
        c.unit_code,
        c.period,
        i.indicator_id,
        i.group_id,
        num.n AS numerator,
        den.n AS denominator,
        num.n / nullif(den.n, 0) AS rate,
        i.threshold,
        i.max_points,
        c.batch_ids
    FROM counts AS c
    CROSS JOIN core.score_indicators AS i
    INNER JOIN long AS num
        ON (c.plan_id, c.unit_code, c.period, i.numerator)
        = (num.plan_id, num.unit_code, num.period, num.counter)
    INNER JOIN long AS den
        ON (c.plan_id, c.unit_code, c.period, i.denominator)
        = (den.plan_id, den.unit_code, den.period, den.counter)
),

reported AS (
    SELECT
        s.plan_id,
        s.unit_code,
        s.period,
        u.indicator_id,
        u.group_id,
        s.numerator::BIGINT AS numerator,
        s.denominator::BIGINT AS denominator,
        s.numerator / nullif(s.denominator, 0) AS rate,
        u.threshold,
        u.max_points,
        [s.batch_id] AS batch_ids
    FROM core.service_indicators AS s
    INNER JOIN core.score_unmeasured AS u ON s.indicator_id = u.indicator_id
    WHERE s.plan_id = $plan_id
),

every_rate AS (SELECT * FROM rated UNION ALL BY NAME SELECT * FROM reported)

SELECT
    * EXCLUDE (batch_ids),
    round(CASE
        WHEN rate >= threshold THEN max_points ELSE rate * max_points / threshold
    END, 2) AS points,
    batch_ids
FROM every_rate
