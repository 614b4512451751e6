-- Core facts lose their PRIMARY KEY (issue 6). DuckDB keeps an ART index for
-- it and checks every inserted row against it: at 10 M dossiers that cost more
-- than the rest of publishing together and several GB of memory. Uniqueness
-- of the natural key is still guaranteed, by publish_batch: the batch's rows
-- are unique (staging numbers key copies, validation keeps the latest), the
-- rows they replace are deleted first, and a check inside the publishing
-- transaction refuses to commit a slice with a repeated key.
-- DuckDB cannot drop a constraint, so each table is rebuilt as it was, minus
-- the key, and its rows copied.

CREATE TABLE core.dossiers_unkeyed (
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
    supplement_requests SMALLINT,          -- added by 0004
    supplement_requested_at TIMESTAMP,
    supplement_received_at TIMESTAMP
);
INSERT INTO core.dossiers_unkeyed SELECT * FROM core.dossiers;
DROP TABLE core.dossiers;
ALTER TABLE core.dossiers_unkeyed RENAME TO dossiers;

CREATE TABLE core.land_parcels_unkeyed (
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
    batch_id VARCHAR NOT NULL
);
INSERT INTO core.land_parcels_unkeyed SELECT * FROM core.land_parcels;
DROP TABLE core.land_parcels;
ALTER TABLE core.land_parcels_unkeyed RENAME TO land_parcels;

CREATE TABLE core.residence_records_unkeyed (
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
    batch_id VARCHAR NOT NULL
);
INSERT INTO core.residence_records_unkeyed SELECT * FROM core.residence_records;
DROP TABLE core.residence_records;
ALTER TABLE core.residence_records_unkeyed RENAME TO residence_records;

CREATE TABLE core.civil_status_registers_unkeyed (
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
    batch_id VARCHAR NOT NULL
);
INSERT INTO core.civil_status_registers_unkeyed SELECT * FROM core.civil_status_registers;
DROP TABLE core.civil_status_registers;
ALTER TABLE core.civil_status_registers_unkeyed RENAME TO civil_status_registers;
