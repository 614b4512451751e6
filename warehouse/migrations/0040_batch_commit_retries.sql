-- Issue 14: on DuckLake, workers commit at once and a commit that conflicts
-- with another's is rolled back and tried again. The audit row says how many
-- times its batch's publish was retried (0 on the single DuckDB file), so the
-- scale test and an operator see contention. No DEFAULT (see 0004).
ALTER TABLE ops.batches ADD COLUMN commit_retries INTEGER;
