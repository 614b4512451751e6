-- Issue 12: partner sync lag as the 14/11/2024 conference meant it (TP.HCM:
-- dossiers handled on ministries' systems reach the city late). Per plan,
-- dataset (source) and period: the time between a record's last update at
-- the source (NgayCapNhat) and its arrival in plan06 (the publish of the
-- batch that brought that version), and the share of the period's records
-- that arrived after the period closed. Freshness (time since the last pull)
-- is another figure and keeps its own name elsewhere.
CREATE TABLE marts.source_sync_lag (
    plan_id VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    records BIGINT NOT NULL,             -- with a readable NgayCapNhat
    lag_median_hours DOUBLE,
    lag_p90_hours DOUBLE,
    arrived_after_close BIGINT NOT NULL,
    arrived_after_close_share DOUBLE,
    batch_ids VARCHAR[] NOT NULL,
    PRIMARY KEY (plan_id, dataset, period)
);
