-- Issue 12: the dossier rules of domain.md as configuration, the counts the
-- corrected formulas need, and a 766 score that says how much it covers.
-- No DEFAULTs on added columns (see 0004).

-- Which statuses carry a result or are not judged, which channel is online,
-- which service level is fully online: [S] facts, synced from scoring_766.yaml.
CREATE TABLE core.dossier_rules (
    rule VARCHAR NOT NULL,   -- result_status | not_judged_status | online_channel | fully_online_level
    value VARCHAR NOT NULL,
    PRIMARY KEY (rule, value)
);

-- Decision 766 sub-indicators dossiers cannot measure: they count in the
-- points possible, so a score over the measured ones shows its coverage.
CREATE TABLE core.score_unmeasured (
    indicator_id VARCHAR PRIMARY KEY,
    group_id VARCHAR NOT NULL,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    max_points DOUBLE NOT NULL
);

ALTER TABLE marts.dossier_kpis ADD COLUMN dossiers_fully_online BIGINT;
ALTER TABLE marts.dossier_kpis ADD COLUMN dossiers_finished_after_period BIGINT;
ALTER TABLE marts.dossier_kpis ADD COLUMN dossiers_on_split_units BIGINT;
ALTER TABLE marts.dossier_kpis ADD COLUMN fully_online_rate DOUBLE;
ALTER TABLE marts.dossier_kpis_by_boundary ADD COLUMN dossiers_fully_online BIGINT;

ALTER TABLE marts.score_766 ADD COLUMN points_possible DOUBLE;  -- the decision's 100
ALTER TABLE marts.score_766 ADD COLUMN coverage DOUBLE;         -- max_points / points_possible
ALTER TABLE marts.score_766 ADD COLUMN missing VARCHAR[];       -- indicators without data
