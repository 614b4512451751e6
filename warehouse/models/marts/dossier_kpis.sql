-- Grain: (plan, unit, domain, period). Decision 766 counts and rates over the
-- plan's published dossiers, from the flags of int_dossiers_flagged (formulas:
-- shared/domain.md); unit = the unit valid when the dossier was received.
SELECT
    plan_id,
    unit_code,
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
    count_if(finished_after_period) AS dossiers_finished_after_period,
    count_if(unit_split) AS dossiers_on_split_units,
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
FROM int_dossiers_flagged
WHERE plan_id = $plan_id
GROUP BY ALL
