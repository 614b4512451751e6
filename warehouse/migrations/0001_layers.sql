-- Layers of the warehouse. raw landing lives as Parquet files under
-- data/landing/<batch_id>/ (it may hold raw citizen IDs and is purged by
-- retention); each batch is staged and validated in its own DuckDB file under
-- data/staging/ before anything here changes.
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS ops;

-- Dimensions, refreshed from the plan files on every run.
CREATE TABLE core.plans (
    plan_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    partner_name VARCHAR NOT NULL,
    partner_unit_code VARCHAR NOT NULL,
    signed_on DATE NOT NULL,
    domains VARCHAR[] NOT NULL,
    slack_channel VARCHAR NOT NULL,
    definition JSON NOT NULL
);

CREATE TABLE core.task_groups (
    plan_id VARCHAR NOT NULL,
    task_group_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    slack_channel VARCHAR NOT NULL,
    slack_usergroup_id VARCHAR,
    PRIMARY KEY (plan_id, task_group_id)
);

CREATE TABLE core.targets (
    plan_id VARCHAR NOT NULL,
    target_id VARCHAR NOT NULL,
    kpi VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    target_value DOUBLE NOT NULL,
    due_date DATE NOT NULL,
    task_group_id VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, target_id)
);

-- Administrative units with validity dates and the 01/07/2025 crosswalk
-- (seed: warehouse/seeds/admin_units.csv).
CREATE TABLE core.admin_units (
    unit_code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    province_code VARCHAR,
    valid_from DATE,
    valid_to DATE,
    successor_code VARCHAR,
    simulator_province VARCHAR
);

-- Fact: one administrative-procedure dossier (hồ sơ TTHC) of a plan.
-- Grain: (plan_id, dossier_code). The applicant is a keyed pseudonym only.
CREATE TABLE core.dossiers (
    plan_id VARCHAR NOT NULL,
    dossier_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    procedure_code VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    channel SMALLINT NOT NULL,
    service_level VARCHAR,
    submitted_at TIMESTAMP,
    received_at TIMESTAMP NOT NULL,
    due_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,
    n_components INTEGER NOT NULL,
    n_components_digitised INTEGER NOT NULL,
    n_components_reused INTEGER NOT NULL,
    has_result_code BOOLEAN NOT NULL,
    has_e_result BOOLEAN NOT NULL,
    result_digitised BOOLEAN NOT NULL,
    synced_to_portal BOOLEAN NOT NULL,
    applicant_pseudonym VARCHAR,
    source_updated_at TIMESTAMP,
    batch_id VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, dossier_code)
);

-- Audit: one row per batch (a dataset of a plan and period, pulled once).
CREATE TABLE ops.batches (
    batch_id VARCHAR PRIMARY KEY,
    plan_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    status VARCHAR NOT NULL,          -- published | rejected
    rows_in BIGINT NOT NULL,
    rows_published BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    checksum VARCHAR NOT NULL,        -- sha256 of the landed rows, in key order
    source_url_path VARCHAR,
    flow_run_id VARCHAR,
    validation JSON,                  -- per expectation: success, unexpected count, severity
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL
);

-- Rows kept out of core, each with the expectation it failed and why.
CREATE TABLE ops.quarantine (
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    row_number BIGINT NOT NULL,       -- position in the landed batch, 1-based
    natural_key VARCHAR,
    expectation VARCHAR NOT NULL,
    column_name VARCHAR,
    severity VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    record JSON NOT NULL,             -- the staged row (pseudonymised)
    PRIMARY KEY (batch_id, row_number, expectation)
);

-- Messages written with the data they describe, delivered later, once.
CREATE TABLE ops.outbox (
    message_key VARCHAR PRIMARY KEY,
    plan_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    blocks JSON NOT NULL,
    content_hash VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    slack_ts VARCHAR,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);

-- KPI counts per plan, unit, domain and period (refreshed per plan).
CREATE TABLE marts.dossier_kpis (
    plan_id VARCHAR NOT NULL,
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
    digitisation_rate DOUBLE,
    e_result_rate DOUBLE,
    portal_sync_rate DOUBLE,
    online_rate DOUBLE,
    on_time_rate DOUBLE,
    reuse_rate DOUBLE,
    batch_ids VARCHAR[] NOT NULL,
    PRIMARY KEY (plan_id, unit_code, domain, period)
);

-- Progress of each plan target, per period.
CREATE TABLE marts.target_progress (
    plan_id VARCHAR NOT NULL,
    target_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    kpi VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    current_value DOUBLE,
    previous_value DOUBLE,
    target_value DOUBLE NOT NULL,
    due_date DATE NOT NULL,
    monthly_trend DOUBLE,
    forecast_date DATE,
    met BOOLEAN NOT NULL,
    on_track BOOLEAN NOT NULL,
    task_group_id VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, target_id, period)
);
