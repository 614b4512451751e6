-- Grain: one published dossier (every plan; the marts filter by plan). The
-- Decision 766 flags of shared/domain.md, and the units a dossier counts for.
--   on time: finished by the due date pushed back by the first supplement
--     request's pause (request -> supplement received; still waiting: up to
--     the finish or the period end); a second request is late whatever the dates;
--   judged: finished, or open and past that due date at the period end;
--   unit_code: the unit valid when the dossier was received (an old code sent
--     after 01/07/2025 lands on its successor); old_/new_ unit and province
--     read it on the boundaries before and after the reorganisation.
WITH dossiers AS (
    SELECT
        d.*,
        x.new_unit_code,
        x.new_province_code,
        x.old_unit_code,
        x.old_province_code,
        x.valid_to AS sent_unit_valid_to,
        strptime(d.period || '-01', '%Y-%m-%d') + INTERVAL 1 MONTH AS period_end,
        coalesce(d.supplement_requests, 0) AS requests,
        greatest(coalesce(
            coalesce(d.supplement_received_at, d.finished_at, period_end)
            - d.supplement_requested_at, INTERVAL 0 SECOND
        ), INTERVAL 0 SECOND) AS supplement_pause
    FROM core.dossiers AS d
    LEFT JOIN core.unit_crosswalk AS x ON d.unit_code = x.unit_code
)

SELECT
    plan_id,
    period,
    domain,
    batch_id,
    CASE
        WHEN sent_unit_valid_to < received_at::DATE THEN new_unit_code ELSE unit_code
    END AS unit_code,
    coalesce(new_unit_code, unit_code) AS new_unit_code,
    new_province_code,
    coalesce(old_unit_code, unit_code) AS old_unit_code,
    old_province_code,
    n_components > 0 AND n_components_digitised = n_components
    AND (NOT has_result_code OR result_digitised) AS is_digitised,
    status IN ('Đã xử lý xong', 'Đã trả kết quả') AS has_result,
    has_e_result,
    synced_to_portal,
    channel = 2 AS is_online,
    requests >= 2 OR finished_at IS NOT NULL
    OR due_at + supplement_pause < period_end AS is_judged,
    requests < 2 AND coalesce(finished_at <= due_at + supplement_pause, false) AS is_on_time,
    n_components_reused > 0 AS is_reused
FROM dossiers
