"""The leads' trigger gateway: `plan06 gateway`, the narrow door in front of Prefect.

Prefect OSS has one auth string and no roles: whoever holds it can edit pools,
limits and deployments, and a run's `job_variables` can change what a worker
executes. Leads only need to rerun a plan for a month or backfill a range, so
they get this small web app instead: it holds the auth string, logs them in
with their own accounts (`users`, `login`), checks the parameters with the flows' own
types (`params`), and creates runs of exactly two deployments (`prefect_api`)
with nothing but those parameters. `app` ties them together; `page` is the
HTML face.
"""
