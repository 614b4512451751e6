-- Grain: one published dossier (every plan; the marts filter by plan). The
-- Decision 766 flags of shared/domain.md, taken as the dossier stood at the
-- end of its period (a finish after it is "open at period end"), and the
-- units a dossier counts for. Statuses, the online channel and the fully
-- online level are configuration (core.dossier_rules, from scoring_766.yaml).
--   has_result: a result status and finished within the period;
--   digitised: every component AND the result digitised (no result: not digitised);
--   on time: finished by the due date pushed back by the first supplement
--     request's pause (request -> supplement received, or the finish, or the
--     period end); a second request is late whatever the dates;
--   judged: not withdrawn (Công dân rút hồ sơ), and finished in the period, or
--     open and past that due date at the period end;
--   unit_code: the unit version valid when the dossier was received (an old
--     code sent after 01/07/2025 lands on its dataset-default successor, and
--     unit_split says when that successor is one of several).
WITH rules AS (
    SELECT
        list(value) FILTER (WHERE rule = 'result_status') AS result_statuses,
        list(value) FILTER (WHERE rule = 'not_judged_status') AS not_judged_statuses,
        list(value) FILTER (WHERE rule = 'online_channel') AS online_channels,
        list(value) FILTER (WHERE rule = 'fully_online_level') AS fully_online_levels
    FROM core.dossier_rules
),

timed AS (
    SELECT
        *,
        strptime(period || '-01', '%Y-%m-%d') + INTERVAL 1 MONTH AS period_end,
        greatest(received_at::DATE, DATE '2020-01-01') AS as_of
    FROM core.dossiers
),

dossiers AS (
    SELECT
        d.* EXCLUDE (as_of),
        x.new_unit_code,
        x.new_province_code,
        x.old_unit_code,
        x.old_province_code,
        x.valid_to AS sent_unit_valid_to,
        coalesce(x.is_split, false) AS sent_unit_split,
        CASE WHEN d.finished_at < d.period_end THEN d.finished_at END AS ended_at,
        coalesce(d.supplement_requests, 0) AS requests,
        greatest(coalesce(
            least(coalesce(d.supplement_received_at, ended_at, d.period_end), d.period_end)
            - d.supplement_requested_at, INTERVAL 0 SECOND
        ), INTERVAL 0 SECOND) AS supplement_pause
    FROM timed AS d
    ASOF LEFT JOIN core.unit_crosswalk AS x ON d.unit_code = x.unit_code AND d.as_of >= x.valid_from
)

SELECT
    plan_id,
    period,
    domain,
    batch_id,
    CASE
        WHEN sent_unit_valid_to < received_at::DATE THEN new_unit_code ELSE unit_code
    END AS unit_code,
    sent_unit_split AND sent_unit_valid_to < received_at::DATE AS unit_split,
    coalesce(new_unit_code, unit_code) AS new_unit_code,
    new_province_code,
    coalesce(old_unit_code, unit_code) AS old_unit_code,
    old_province_code,
    ended_at IS NOT NULL AND list_contains(r.result_statuses, status) AS has_result,
    n_components > 0 AND n_components_digitised = n_components
    AND ended_at IS NOT NULL AND list_contains(r.result_statuses, status)
    AND result_digitised AS is_digitised,
    has_e_result,
    synced_to_portal,
    list_contains(r.online_channels, channel::VARCHAR) AS is_online,
    list_contains(r.online_channels, channel::VARCHAR)
    AND list_contains(r.fully_online_levels, service_level) AS is_fully_online,
    NOT list_contains(r.not_judged_statuses, status)
    AND (requests >= 2 OR ended_at IS NOT NULL OR due_at + supplement_pause < period_end)
        AS is_judged,
    requests < 2 AND coalesce(ended_at <= due_at + supplement_pause, false) AS is_on_time,
    finished_at >= period_end AS finished_after_period,
    n_components_reused > 0 AS is_reused
FROM dossiers CROSS JOIN rules AS r
