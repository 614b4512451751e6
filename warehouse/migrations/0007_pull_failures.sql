-- Pulls that failed after their retries, one row per failed attempt. Successful
-- pulls are the batches in ops.batches; together they give each partner
-- system's connection state on the review page (data/reports/review.html).
CREATE TABLE ops.pull_failures (
    plan_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    error VARCHAR NOT NULL,           -- exception class and message: no token, no personal data
    flow_run_id VARCHAR,
    failed_at TIMESTAMP NOT NULL
);
