-- Issue 12: target statuses a lead can act on, civil-status completion
-- classes, both from warehouse/seeds/progress.yaml (synced every refresh).
-- No DEFAULTs on added columns (see 0004).
CREATE TABLE core.progress_settings (
    setting VARCHAR PRIMARY KEY,
    value DOUBLE NOT NULL
);

CREATE TABLE core.target_statuses (
    status VARCHAR PRIMARY KEY,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL
);

CREATE TABLE core.completion_classes (
    class_id VARCHAR PRIMARY KEY,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    min_share DOUBLE NOT NULL       -- cumulative share of entries digitised, inclusive
);

ALTER TABLE marts.target_progress ADD COLUMN status VARCHAR;
ALTER TABLE marts.target_progress ADD COLUMN status_vi VARCHAR;
ALTER TABLE marts.civil_status_registers_progress ADD COLUMN completion_class VARCHAR;
ALTER TABLE marts.civil_status_registers_progress ADD COLUMN completion_vi VARCHAR;
