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

-- The unit versions, each in force until the next one of its code (the first
-- also stands for the time before it, when no version applies).
versions AS (
    SELECT
        unit_code,
        valid_from,
        valid_to,
        new_unit_code,
        new_province_code,
        old_unit_code,
        old_province_code,
        is_split,
        row_number() OVER (PARTITION BY unit_code ORDER BY valid_from) = 1 AS is_first,
        lead(valid_from) OVER (PARTITION BY unit_code ORDER BY valid_from) AS next_valid_from
    FROM core.unit_crosswalk
),

timed AS (
    SELECT
        *,
        strptime(period || '-01', '%Y-%m-%d') + INTERVAL 1 MONTH AS period_end,
        greatest(received_at::DATE, DATE '2020-01-01') AS as_of
    FROM core.dossiers
),

-- The version of the dossier's unit on as_of, as an ASOF join finds it, but
-- by a hash join on the code: every dossier of a known code meets exactly one
-- interval, and its unit's columns stay NULL before the first version. (An
-- ASOF LEFT JOIN sorted every dossier with its columns: 25 s of a 10 M-row
-- publish, spilling at the 1 GB memory limit; a LEFT JOIN with the range in
-- its condition was slower still.)
matched AS (
    SELECT
        d.*,
        d.as_of >= x.valid_from AS in_force,
        x.new_unit_code,
        x.new_province_code,
        x.old_unit_code,
        x.old_province_code,
        x.valid_to,
        x.is_split
    FROM timed AS d
    LEFT JOIN versions AS x ON d.unit_code = x.unit_code
    WHERE
        x.unit_code IS NULL
        OR (
            (x.is_first OR d.as_of >= x.valid_from)
            AND (x.next_valid_from IS NULL OR d.as_of < x.next_valid_from)
        )
),

dossiers AS (
    SELECT
        d.* EXCLUDE (as_of, in_force, new_unit_code, new_province_code, old_unit_code,
            old_province_code, valid_to, is_split),
        CASE WHEN d.in_force THEN d.new_unit_code END AS new_unit_code,
        CASE WHEN d.in_force THEN d.new_province_code END AS new_province_code,
        CASE WHEN d.in_force THEN d.old_unit_code END AS old_unit_code,
        CASE WHEN d.in_force THEN d.old_province_code END AS old_province_code,
        CASE WHEN d.in_force THEN d.valid_to END AS sent_unit_valid_to,
        coalesce(d.in_force AND d.is_split, false) AS sent_unit_split,
        CASE WHEN d.finished_at < d.period_end THEN d.finished_at END AS ended_at,
        coalesce(d.supplement_requests, 0) AS requests,
        greatest(coalesce(
            least(coalesce(d.supplement_received_at, ended_at, d.period_end), d.period_end)
            - d.supplement_requested_at, INTERVAL 0 SECOND
        ), INTERVAL 0 SECOND) AS supplement_pause
    FROM matched AS d
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
