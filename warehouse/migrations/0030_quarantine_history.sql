-- Quarantine history (issue 16): a new batch of a slice no longer deletes the
-- earlier batch's quarantined rows; it marks them superseded. Every batch keeps
-- its own rows and reasons in ops.quarantine_log, and ops.quarantine, the name
-- every reader uses, becomes the view of the current slice.
ALTER TABLE ops.quarantine RENAME TO quarantine_log;
ALTER TABLE ops.quarantine_log ADD COLUMN superseded_by VARCHAR;
CREATE VIEW ops.quarantine AS
SELECT * EXCLUDE (superseded_by) FROM ops.quarantine_log WHERE superseded_by IS NULL;

-- Why a batch was rejected, in words a lead reads: for a slice whose files were
-- all quarantined, the files' reasons (file_ledger), not "the source returned no rows".
ALTER TABLE ops.batches ADD COLUMN reason VARCHAR;
