-- Grain: (plan, unit, period). The points of the measured indicators, the
-- points possible (every Decision 766 group: 100), the coverage (points with
-- data / points possible) and what is missing: every indicator without points
-- this period (not loaded, or an empty denominator). score =
-- points / max_points x 100 over what was measured (2 decimals); a band only
-- when coverage is complete, else "chưa đủ dữ liệu" (band_id NULL).
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
),

possible AS (SELECT sum(decision_points) AS points_possible FROM core.score_groups),

every_indicator AS (
    SELECT indicator_id FROM core.score_indicators
    UNION ALL
    SELECT indicator_id FROM core.score_unmeasured
),

-- every indicator without points this period: unmeasured, or N/A
missing AS (
    SELECT
        t.plan_id,
        t.unit_code,
        t.period,
        coalesce(
            list(a.indicator_id ORDER BY a.indicator_id) FILTER (WHERE i.points IS NULL), []
        ) AS ids
    FROM totals AS t
    CROSS JOIN every_indicator AS a
    LEFT JOIN marts.score_766_indicators AS i
        ON (t.plan_id, t.unit_code, t.period, a.indicator_id)
        = (i.plan_id, i.unit_code, i.period, i.indicator_id)
    GROUP BY t.plan_id, t.unit_code, t.period
),

covered AS (
    SELECT
        t.*,
        p.points_possible,
        round(coalesce(t.max_points, 0) / p.points_possible, 4) AS coverage,
        m.ids AS missing
    FROM totals AS t
    CROSS JOIN possible AS p
    INNER JOIN missing AS m USING (plan_id, unit_code, period)
),

banded AS (
    SELECT
        c.plan_id,
        c.unit_code,
        c.period,
        arg_max(b.band_id, b.min_score) AS band_id,
        arg_max(b.label_vi, b.min_score) AS band_label
    FROM covered AS c
    LEFT JOIN core.score_bands AS b ON c.score >= b.min_score
    GROUP BY c.plan_id, c.unit_code, c.period
)

SELECT
    c.* EXCLUDE (batch_ids),
    CASE WHEN c.coverage >= 1 THEN x.band_id END AS band_id,
    CASE WHEN c.coverage >= 1 THEN x.band_label ELSE 'chưa đủ dữ liệu' END AS band_vi,
    c.batch_ids
FROM covered AS c
INNER JOIN banded AS x USING (plan_id, unit_code, period)
