-- Grain: (plan, unit, domain, period). Decision 766 counts over the plan's
-- published dossiers (formulas: shared/domain.md):
--   digitised: every component and, when there is a result, the result too;
--   with result: finished with a result (processed or returned);
--   judged for on time: finished, or still open past its due date at period end;
--   on time: finished on or before the due date (open past due is late).
WITH dossiers AS (
    SELECT
        *,
        strptime(period || '-01', '%Y-%m-%d') + INTERVAL 1 MONTH AS period_end
    FROM core.dossiers
    WHERE plan_id = $plan_id
),

flagged AS (
    SELECT
        plan_id,
        unit_code,
        domain,
        period,
        batch_id,
        n_components > 0 AND n_components_digitised = n_components
        AND (NOT has_result_code OR result_digitised) AS is_digitised,
        status IN ('Đã xử lý xong', 'Đã trả kết quả') AS has_result,
        has_e_result,
        synced_to_portal,
        channel = 2 AS is_online,
        finished_at IS NOT NULL OR due_at < period_end AS is_judged,
        coalesce(finished_at <= due_at, false) AS is_on_time,
        n_components_reused > 0 AS is_reused
    FROM dossiers
)

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
    count_if(is_judged) AS dossiers_judged,
    count_if(is_judged AND is_on_time) AS dossiers_on_time,
    count_if(is_reused) AS dossiers_reused,
    dossiers_digitised / nullif(dossiers_received, 0) AS digitisation_rate,
    dossiers_e_result / nullif(dossiers_with_result, 0) AS e_result_rate,
    dossiers_synced / nullif(dossiers_received, 0) AS portal_sync_rate,
    dossiers_online / nullif(dossiers_received, 0) AS online_rate,
    dossiers_on_time / nullif(dossiers_judged, 0) AS on_time_rate,
    dossiers_reused / nullif(dossiers_received, 0) AS reuse_rate,
    list(DISTINCT batch_id ORDER BY batch_id) AS batch_ids
FROM flagged
GROUP BY ALL
