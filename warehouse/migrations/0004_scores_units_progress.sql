-- Issue 4: Decision 766 scores, supplement requests, the 2025 crosswalk as a
-- view, and traceable target progress.
-- No DEFAULTs on added columns: DuckDB 1.5 fails to commit a DEFAULT column
-- followed by another ADD COLUMN in one transaction (see 0005).

-- Supplement requests (yêu cầu bổ sung) of a dossier: their time is taken off
-- the processing clock; a second request makes the dossier late.
ALTER TABLE core.dossiers ADD COLUMN supplement_requests SMALLINT;
ALTER TABLE core.dossiers ADD COLUMN supplement_requested_at TIMESTAMP;
ALTER TABLE core.dossiers ADD COLUMN supplement_received_at TIMESTAMP;

-- Scoring as data, synced from warehouse/seeds/scoring_766.yaml on every refresh.
CREATE TABLE core.score_groups (
    group_id VARCHAR PRIMARY KEY,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    decision_points DOUBLE NOT NULL   -- the group's share of Decision 766's 100 points
);

CREATE TABLE core.score_indicators (
    indicator_id VARCHAR PRIMARY KEY,
    group_id VARCHAR NOT NULL,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    numerator VARCHAR NOT NULL,       -- a count column of marts.dossier_kpis
    denominator VARCHAR NOT NULL,
    max_points DOUBLE NOT NULL,
    threshold DOUBLE NOT NULL         -- a rate at or above it earns max_points
);

CREATE TABLE core.score_bands (
    band_id VARCHAR PRIMARY KEY,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    min_score DOUBLE NOT NULL         -- on the 0-100 scale, inclusive
);

-- Every unit code, old or new, with the unit it became (new boundaries) and the
-- unit and province it belonged to before the reorganisation (old boundaries).
-- The reorganisation date is the last valid_to of a unit with a successor: data.
-- A new commune made of several old ones keeps its own code on the old
-- boundaries (it cannot be split) but counts for its old province.
CREATE VIEW core.unit_crosswalk AS
WITH RECURSIVE chain (unit_code, new_unit_code, hops) AS (
    SELECT unit_code, unit_code, 0 FROM core.admin_units
    UNION ALL
    SELECT c.unit_code, u.successor_code, c.hops + 1
    FROM chain AS c INNER JOIN core.admin_units AS u ON c.new_unit_code = u.unit_code
    WHERE u.successor_code IS NOT NULL AND c.hops < 10
),

latest AS (
    SELECT unit_code, arg_max(new_unit_code, hops) AS new_unit_code FROM chain GROUP BY unit_code
),

reorganised AS (
    SELECT max(valid_to) AS old_on FROM core.admin_units WHERE successor_code IS NOT NULL
),

predecessors AS (
    SELECT
        successor_code AS unit_code,
        list(DISTINCT unit_code ORDER BY unit_code) AS old_units,
        list(DISTINCT province_code ORDER BY province_code) AS old_provinces
    FROM core.admin_units WHERE successor_code IS NOT NULL
    GROUP BY successor_code
),

units AS (
    SELECT
        u.*,
        u.valid_from <= r.old_on AND coalesce(u.valid_to >= r.old_on, true) AS existed_before
    FROM core.admin_units AS u CROSS JOIN reorganised AS r
)

SELECT
    u.unit_code,
    u.level,
    u.valid_from,
    u.valid_to,
    l.new_unit_code,
    n.province_code AS new_province_code,
    CASE
        WHEN u.existed_before THEN u.unit_code
        WHEN len(p.old_units) = 1 THEN p.old_units[1]
        ELSE u.unit_code
    END AS old_unit_code,
    CASE
        WHEN u.existed_before THEN u.province_code
        WHEN len(p.old_provinces) = 1 THEN p.old_provinces[1]
        ELSE u.province_code
    END AS old_province_code
FROM units AS u
INNER JOIN latest AS l ON u.unit_code = l.unit_code
INNER JOIN core.admin_units AS n ON l.new_unit_code = n.unit_code
LEFT JOIN predecessors AS p ON u.unit_code = p.unit_code;

-- marts.dossier_kpis read on the old or the new boundaries. Grain: (plan,
-- boundary, unit, domain, period); both boundaries count every dossier once.
CREATE TABLE marts.dossier_kpis_by_boundary (
    plan_id VARCHAR NOT NULL,
    boundary VARCHAR NOT NULL,        -- old (before 01/07/2025) | new
    province_code VARCHAR,
    unit_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    dossiers_received BIGINT NOT NULL,
    dossiers_digitised BIGINT NOT NULL,
    dossiers_with_result BIGINT NOT NULL,
    dossiers_e_result BIGINT NOT NULL,
    dossiers_synced BIGINT NOT NULL,
    dossiers_online BIGINT NOT NULL,
    dossiers_judged BIGINT NOT NULL,
    dossiers_on_time BIGINT NOT NULL,
    dossiers_reused BIGINT NOT NULL,
    batch_ids VARCHAR[] NOT NULL,
    PRIMARY KEY (plan_id, boundary, unit_code, domain, period)
);

-- Decision 766 points per indicator; points NULL = N/A (empty denominator).
CREATE TABLE marts.score_766_indicators (
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    group_id VARCHAR NOT NULL,
    numerator BIGINT NOT NULL,
    denominator BIGINT NOT NULL,
    rate DOUBLE,
    threshold DOUBLE NOT NULL,
    max_points DOUBLE NOT NULL,
    points DOUBLE,
    batch_ids VARCHAR[] NOT NULL,
    PRIMARY KEY (plan_id, unit_code, period, indicator_id)
);

CREATE TABLE marts.score_766_groups (
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    group_id VARCHAR NOT NULL,
    points DOUBLE,                    -- over the group's indicators with data
    max_points DOUBLE,
    batch_ids VARCHAR[] NOT NULL,
    PRIMARY KEY (plan_id, unit_code, period, group_id)
);

CREATE TABLE marts.score_766 (
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    points DOUBLE,
    max_points DOUBLE,
    score DOUBLE,                     -- points / max_points x 100, 2 decimals
    band_id VARCHAR,
    band_vi VARCHAR,
    batch_ids VARCHAR[] NOT NULL,
    PRIMARY KEY (plan_id, unit_code, period)
);

-- Target progress: the gap left, a flag when the forecast lands after the due
-- date (or never), and the batches behind the value.
ALTER TABLE marts.target_progress ADD COLUMN gap DOUBLE;
ALTER TABLE marts.target_progress ADD COLUMN forecast_after_due BOOLEAN;
ALTER TABLE marts.target_progress ADD COLUMN batch_ids VARCHAR[];
