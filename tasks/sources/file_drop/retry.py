"""Have refused files read again: `plan06 files retry PLAN DATASET PERIOD`.

A file is known in ops.file_ledger by its content, so a refused one was skipped
on every rerun until its bytes changed, even after the plan's mapping was
fixed (issue 16). Marking its ledger entries `retry` makes the next pull of the
slice read it again; the pull then records it as loaded, or refused again with
its (new) reason.
"""

from __future__ import annotations

import duckdb

RETRY = "retry"
REFUSED = ("quarantined", "rejected")  # the file, or the batch it was in


def mark_for_retry(
    con: duckdb.DuckDBPyConnection, plan: str, dataset: str, period: str
) -> list[tuple[str, str | None]]:
    """(file, its last reason) of each refused file of the slice, now marked for retry."""
    rows = con.execute(
        "UPDATE ops.file_ledger SET status = ? WHERE plan_id = ? AND dataset = ? AND period = ?"
        " AND status IN (?, ?) RETURNING file_path, reason",
        [RETRY, plan, dataset, period, *REFUSED],
    ).fetchall()
    return sorted(rows)
