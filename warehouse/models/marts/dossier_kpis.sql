-- Grain: (plan, unit, domain, period). Decision 766 counts and rates over the
-- plan's published dossiers, from the flags of int_dossiers_flagged (formulas:
-- shared/domain.md) as int_dossier_flag_counts counts them; unit = the unit
-- valid when the dossier was received.
SELECT
    plan_id,
    unit_code,
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
    coalesce(sum(dossiers) FILTER (WHERE finished_after_period), 0) AS dossiers_finished_after_period,
    coalesce(sum(dossiers) FILTER (WHERE unit_split), 0) AS dossiers_on_split_units,
    -- components and result: only a dossier with a result can be digitised
    dossiers_digitised / nullif(dossiers_with_result, 0) AS digitisation_rate,
    dossiers_e_result / nullif(dossiers_with_result, 0) AS e_result_rate,
    dossiers_synced / nullif(dossiers_received, 0) AS portal_sync_rate,
    dossiers_online / nullif(dossiers_received, 0) AS online_rate,
    dossiers_fully_online / nullif(dossiers_received, 0) AS fully_online_rate,
    dossiers_on_time / nullif(dossiers_judged, 0) AS on_time_rate,
    dossiers_reused / nullif(dossiers_received, 0) AS reuse_rate,
    -- sorted after: ORDER BY inside an aggregate buffers every input row
    list_sort(list(DISTINCT batch_id)) AS batch_ids
FROM int_dossier_flag_counts
WHERE plan_id = $plan_id
GROUP BY ALL
