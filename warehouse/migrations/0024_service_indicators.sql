-- Issue 12: the 766 sub-indicators dossiers cannot give, as a dataset kind
-- (warehouse/datasets/service_indicators.yaml). No primary key, like the other
-- core facts since 0008: publish keeps the natural key unique.
CREATE TABLE core.service_indicators (
    plan_id VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    report_period VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    numerator INTEGER NOT NULL,
    denominator INTEGER NOT NULL,
    source_ref VARCHAR,
    batch_id VARCHAR NOT NULL
);

-- A threshold per unmeasured indicator (satisfaction is scored against 90%).
ALTER TABLE core.score_unmeasured ADD COLUMN threshold DOUBLE;
