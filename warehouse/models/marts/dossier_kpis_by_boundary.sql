-- Grain: (plan, boundary, unit, domain, period). The dossier counts read on
-- the units before the 01/07/2025 reorganisation ('old') and after it ('new');
-- each dossier counts once on each boundary, so both add up to the same totals.
WITH both_boundaries AS (
    SELECT *, 'old' AS boundary, old_province_code AS province, old_unit_code AS unit
    FROM int_dossiers_flagged WHERE plan_id = $plan_id
    UNION ALL
    SELECT *, 'new' AS boundary, new_province_code AS province, new_unit_code AS unit
    FROM int_dossiers_flagged WHERE plan_id = $plan_id
)

SELECT
    plan_id,
    boundary,
    province AS province_code,
    unit AS unit_code,
    domain,
    period,
    count(*) AS dossiers_received,
    count_if(is_digitised) AS dossiers_digitised,
    count_if(has_result) AS dossiers_with_result,
    count_if(has_result AND has_e_result) AS dossiers_e_result,
    count_if(synced_to_portal) AS dossiers_synced,
    count_if(is_online) AS dossiers_online,
    count_if(is_fully_online) AS dossiers_fully_online,
    count_if(is_judged) AS dossiers_judged,
    count_if(is_judged AND is_on_time) AS dossiers_on_time,
    count_if(is_reused) AS dossiers_reused,
    -- sorted after: ORDER BY inside an aggregate buffers every input row
    list_sort(list(DISTINCT batch_id)) AS batch_ids
FROM both_boundaries
GROUP BY plan_id, boundary, province, unit, domain, period
