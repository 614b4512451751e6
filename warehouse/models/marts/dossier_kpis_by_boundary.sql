-- Grain: (plan, boundary, unit, domain, period). The dossier counts read on
-- the units before the 01/07/2025 reorganisation ('old') and after it ('new');
-- each dossier counts once on each boundary, so both add up to the same totals.
WITH both_boundaries AS (
    SELECT *, 'old' AS boundary, old_province_code AS province, old_unit_code AS unit
    FROM int_dossier_flag_counts WHERE plan_id = $plan_id
    UNION ALL
    SELECT *, 'new' AS boundary, new_province_code AS province, new_unit_code AS unit
    FROM int_dossier_flag_counts WHERE plan_id = $plan_id
)

SELECT
    plan_id,
    boundary,
    province AS province_code,
    unit AS unit_code,
    domain,
    period,
    sum(dossiers) AS dossiers_received,
    coalesce(sum(dossiers) FILTER (WHERE is_digitised), 0) AS dossiers_digitised,
    coalesce(sum(dossiers) FILTER (WHERE has_result), 0) AS dossiers_with_result,
    coalesce(sum(dossiers) FILTER (WHERE has_result AND has_e_result), 0) AS dossiers_e_result,
    coalesce(sum(dossiers) FILTER (WHERE synced_to_portal), 0) AS dossiers_synced,
    coalesce(sum(dossiers) FILTER (WHERE is_online), 0) AS dossiers_online,
    coalesce(sum(dossiers) FILTER (WHERE is_fully_online), 0) AS dossiers_fully_online,
    coalesce(sum(dossiers) FILTER (WHERE is_judged), 0) AS dossiers_judged,
    coalesce(sum(dossiers) FILTER (WHERE is_judged AND is_on_time), 0) AS dossiers_on_time,
    coalesce(sum(dossiers) FILTER (WHERE is_reused), 0) AS dossiers_reused,
    -- sorted after: ORDER BY inside an aggregate buffers every input row
    list_sort(list(DISTINCT batch_id)) AS batch_ids
FROM both_boundaries
GROUP BY plan_id, boundary, province, unit, domain, period
