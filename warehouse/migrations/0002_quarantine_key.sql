-- A row can fail two expectations of the same type on different columns
-- (unit_code and channel both not in their sets): the key needs the column.
CREATE TABLE ops.quarantine_v2 (
    batch_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    row_number BIGINT NOT NULL,
    natural_key VARCHAR,
    expectation VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,     -- '' for an expectation on the whole row
    severity VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    record JSON NOT NULL,
    PRIMARY KEY (batch_id, row_number, expectation, column_name)
);
INSERT INTO ops.quarantine_v2
SELECT * REPLACE (coalesce(column_name, '') AS column_name) FROM ops.quarantine;
DROP TABLE ops.quarantine;
ALTER TABLE ops.quarantine_v2 RENAME TO quarantine;
