"""Warehouse upkeep: DuckLake's small files merged, old snapshots expired, their files removed.

Every publish on DuckLake writes new Parquet files, delete files and a snapshot,
and DuckLake deletes no data file by itself (time travel keeps them all), so a
lake that is never maintained grows by a few hundred files a month and reads
slow down. DuckLake's own functions do the work, in the order its CHECKPOINT
runs them; they are called one by one (not CHECKPOINT) so that each step's
outcome can be reported and retried on a commit conflict with a publish.

Files are deleted only after a grace period: a reader that started before the
merge may still be scanning the old files, and a writer's new file is an
"orphan" until its commit, so orphans are left a day whatever `keep_days` says.
The single DuckDB file needs only DuckDB's CHECKPOINT (its WAL folded in).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse.db import LAKE
from warehouse.tx import retry_conflicts

META = f"__ducklake_metadata_{LAKE}"
CLEANUP_GRACE = "1 hour"  # longer than any reader's snapshot (status, a report)
ORPHAN_GRACE = "1 day"  # a file written by a run that has not committed yet is an orphan


@dataclass(frozen=True)
class Footprint:
    """What the lake's catalog holds: live files and the history kept for time travel."""

    data_files: int
    snapshots: int
    awaiting_deletion: int


@dataclass(frozen=True)
class Upkeep:
    before: Footprint
    after: Footprint
    files_deleted: int
    conflicts_retried: int


def footprint(con: duckdb.DuckDBPyConnection) -> Footprint:
    row = con.execute(
        f"SELECT (SELECT count(*) FROM {META}.ducklake_data_file WHERE end_snapshot IS NULL),"
        f" (SELECT count(*) FROM {META}.ducklake_snapshot),"
        f" (SELECT count(*) FROM {META}.ducklake_files_scheduled_for_deletion)"
    ).fetchone()
    assert row is not None
    return Footprint(*map(int, row))


def maintain_lake(con: duckdb.DuckDBPyConnection, keep_days: int) -> Upkeep:
    """Flush, expire snapshots older than keep_days, merge, rewrite, clean up (DuckLake)."""
    if keep_days < 0:
        raise ValueError(f"snapshots must be kept 0 or more days, not {keep_days}")
    before, retried = footprint(con), 0

    def call(sql: str) -> list[tuple]:
        nonlocal retried
        rows, retries = retry_conflicts(lambda c: c.execute(sql).fetchall(), con, what=sql)
        retried += retries
        return rows

    call(f"CALL ducklake_flush_inlined_data('{LAKE}')")
    call(
        f"CALL ducklake_expire_snapshots('{LAKE}',"
        f" older_than => now() - INTERVAL '{int(keep_days)} days')"
    )
    call(f"CALL ducklake_merge_adjacent_files('{LAKE}')")
    call(f"CALL ducklake_rewrite_data_files('{LAKE}')")
    deleted = call(
        f"CALL ducklake_cleanup_old_files('{LAKE}',"
        f" older_than => now() - INTERVAL '{CLEANUP_GRACE}')"
    )
    orphans = call(
        f"CALL ducklake_delete_orphaned_files('{LAKE}',"
        f" older_than => now() - INTERVAL '{ORPHAN_GRACE}')"
    )
    return Upkeep(
        before=before,
        after=footprint(con),
        files_deleted=len(deleted) + len(orphans),
        conflicts_retried=retried,
    )
