-- Grain: (plan, unit, period, group). A group's points are the sum of its
-- indicators' points; max_points counts only indicators with data (N/A ones
-- are left out of both), NULL when none has data.
SELECT
    plan_id,
    unit_code,
    period,
    group_id,
    sum(points) AS points,
    sum(max_points) FILTER (WHERE points IS NOT NULL) AS max_points,
    list_sort(list_distinct(flatten(list(batch_ids)))) AS batch_ids
FROM marts.score_766_indicators
WHERE plan_id = $plan_id
GROUP BY plan_id, unit_code, period, group_id
