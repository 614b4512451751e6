-- Grain: (plan, unit, period). Total points of the measured indicators, the
-- score on 100 (points / max_points x 100, 2 decimals) and its band: the
-- band with the highest min_score the score reaches (core.score_bands).
WITH totals AS (
    SELECT
        plan_id,
        unit_code,
        period,
        round(sum(points), 2) AS points,
        sum(max_points) AS max_points,
        round(100 * sum(points) / nullif(sum(max_points), 0), 2) AS score,
        list_sort(list_distinct(flatten(list(batch_ids)))) AS batch_ids
    FROM marts.score_766_groups
    WHERE plan_id = $plan_id
    GROUP BY plan_id, unit_code, period
)

SELECT
    t.* EXCLUDE (batch_ids),
    arg_max(b.band_id, b.min_score) AS band_id,
    arg_max(b.label_vi, b.min_score) AS band_vi,
    t.batch_ids
FROM totals AS t
LEFT JOIN core.score_bands AS b ON t.score >= b.min_score
GROUP BY ALL
