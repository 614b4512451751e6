-- The datasets of the plans besides dossiers (issue 3): land parcels,
-- residence records, civil-status registers, judicial-record certificates;
-- their progress marts; and the bookkeeping of incremental and file sources.

-- Fact: a land parcel of the land-data campaign (Plan 515). Grain: (plan_id, parcel_id).
-- data_group: 1 usable, 2 needs correction and owner authentication, 3 to rebuild.
CREATE TABLE core.land_parcels (
    plan_id VARCHAR NOT NULL,
    parcel_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    data_group SMALLINT NOT NULL,
    owner_authenticated BOOLEAN NOT NULL,
    certificate_scanned BOOLEAN NOT NULL,
    entered_in_land_db BOOLEAN NOT NULL,
    owner_pseudonym VARCHAR,
    source_updated_at TIMESTAMP,
    source_ref VARCHAR,               -- file:line for file drops, NULL for APIs
    batch_id VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, parcel_id)
);

-- Fact: a household or person residence record. Grain: (plan_id, record_id).
CREATE TABLE core.residence_records (
    plan_id VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    record_type VARCHAR NOT NULL,     -- ho (household) | nhan_khau (person)
    unit_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    digitised BOOLEAN NOT NULL,
    cleansed BOOLEAN NOT NULL,
    authenticated BOOLEAN NOT NULL,
    person_pseudonym VARCHAR,
    source_updated_at TIMESTAMP,
    source_ref VARCHAR,
    batch_id VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, record_id)
);

-- Fact: a civil-status register book. Grain: (plan_id, register_code).
CREATE TABLE core.civil_status_registers (
    plan_id VARCHAR NOT NULL,
    register_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    register_type VARCHAR NOT NULL,
    register_year INTEGER,
    entries INTEGER NOT NULL,
    entries_digitised INTEGER NOT NULL,
    source_updated_at TIMESTAMP,
    source_ref VARCHAR,
    batch_id VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, register_code)
);

-- Fact: judicial-record certificates issued. Grain: (plan_id, unit_code, report_period).
CREATE TABLE core.judicial_records (
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    report_period VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    certificates_issued INTEGER NOT NULL,
    certificates_vneid INTEGER NOT NULL,
    source_ref VARCHAR,
    batch_id VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, unit_code, report_period)
);

-- Progress marts. Grain of each: (plan_id, unit_code, domain, period); the
-- cum_ columns add every period up to and including this one.
CREATE TABLE marts.land_parcels_progress (
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    parcels BIGINT NOT NULL,
    parcels_usable BIGINT NOT NULL,
    parcels_to_correct BIGINT NOT NULL,
    parcels_to_rebuild BIGINT NOT NULL,
    owners_authenticated BIGINT NOT NULL,
    certificates_scanned BIGINT NOT NULL,
    parcels_entered BIGINT NOT NULL,
    cum_parcels BIGINT NOT NULL,
    cum_parcels_usable BIGINT NOT NULL,
    cum_owners_authenticated BIGINT NOT NULL,
    cum_certificates_scanned BIGINT NOT NULL,
    cum_parcels_entered BIGINT NOT NULL,
    PRIMARY KEY (plan_id, unit_code, domain, period)
);

CREATE TABLE marts.residence_records_progress (
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    records BIGINT NOT NULL,
    records_digitised BIGINT NOT NULL,
    records_cleansed BIGINT NOT NULL,
    records_authenticated BIGINT NOT NULL,
    cum_records BIGINT NOT NULL,
    cum_records_digitised BIGINT NOT NULL,
    cum_records_cleansed BIGINT NOT NULL,
    cum_records_authenticated BIGINT NOT NULL,
    PRIMARY KEY (plan_id, unit_code, domain, period)
);

CREATE TABLE marts.civil_status_registers_progress (
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    registers BIGINT NOT NULL,
    registers_digitised BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    entries_digitised BIGINT NOT NULL,
    cum_registers BIGINT NOT NULL,
    cum_registers_digitised BIGINT NOT NULL,
    cum_entries BIGINT NOT NULL,
    cum_entries_digitised BIGINT NOT NULL,
    PRIMARY KEY (plan_id, unit_code, domain, period)
);

CREATE TABLE marts.judicial_records_progress (
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    certificates_issued BIGINT NOT NULL,
    certificates_vneid BIGINT NOT NULL,
    cum_certificates_issued BIGINT NOT NULL,
    cum_certificates_vneid BIGINT NOT NULL,
    PRIMARY KEY (plan_id, unit_code, domain, period)
);

-- Incremental pulls: the highest source update time published per slice.
-- Runs are sliced by period and the API is queried per period, so the mark
-- is kept per (plan, dataset) and period: one mark across periods would skip
-- an earlier period's late changes.
CREATE TABLE ops.watermarks (
    plan_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    watermark VARCHAR NOT NULL,       -- the source's own update stamp, compared as text
    batch_id VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, dataset, period)
);

-- File drops: every file seen, by content hash. A file whose hash is already
-- here is not loaded again; a changed file under the same name is a new
-- version and supersedes the old one (kept, marked superseded).
CREATE TABLE ops.file_ledger (
    plan_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    file_path VARCHAR NOT NULL,       -- relative to the drop root
    sha256 VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    version INTEGER NOT NULL,
    status VARCHAR NOT NULL,          -- loaded | quarantined | superseded
    reason VARCHAR,
    rows_landed BIGINT NOT NULL,
    batch_id VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, dataset, file_path, sha256)
);
