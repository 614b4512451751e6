-- Slack threads, alerts and files in the outbox (issue 5).
-- A row with thread_key is a reply in the thread of the row it names (the plan
-- and period's root message); reply_broadcast also shows it in the channel
-- (alerts, once). state is the root's last known state (targets, datasets),
-- diffed on each update so replies are written only on a change of state.
-- sent_hash is the content Slack shows, so an unchanged rewrite costs no call.
-- file_* hold a chart uploaded into the message's thread (files_upload_v2).
-- Alert rows are keyed '<plan>:<period>:alert:<what>': the key dedupes them,
-- so a retry or a rerun updates the one alert instead of posting another.
-- No DEFAULTs: DuckDB 1.5 fails to commit a DEFAULT column followed by another
-- ADD COLUMN in one transaction; code reads NULL as false.
ALTER TABLE ops.outbox ADD COLUMN thread_key VARCHAR;
ALTER TABLE ops.outbox ADD COLUMN reply_broadcast BOOLEAN;
ALTER TABLE ops.outbox ADD COLUMN state JSON;
ALTER TABLE ops.outbox ADD COLUMN sent_hash VARCHAR;
ALTER TABLE ops.outbox ADD COLUMN file_name VARCHAR;
ALTER TABLE ops.outbox ADD COLUMN file_bytes BLOB;
ALTER TABLE ops.outbox ADD COLUMN file_id VARCHAR;
