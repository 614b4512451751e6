"""Purge the raw landing area: the only place raw citizen IDs ever exist.

A landed file (data/landing/<batch_id>.parquet) is kept `keep_days` days after
its batch's outcome is recorded in ops.batches (published or rejected), then
deleted; 0 deletes it right after publish. A file no batch row names (a run
killed between pull and publish) is deleted once it is older than
max(keep_days, 1) days, so a pull still in progress is never touched.
Setting: PLAN06_LANDING_RETENTION_DAYS (README, configuration).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import duckdb

logger = logging.getLogger(__name__)
_DAY = 24 * 3600


def _recorded_before(con: duckdb.DuckDBPyConnection, keep_days: int) -> tuple[set[str], set[str]]:
    """Batch ids whose outcome is recorded: all of them, and those old enough to purge."""
    rows = con.execute(
        "SELECT batch_id, finished_at <= current_localtimestamp() - to_days(?::INTEGER)"
        " FROM ops.batches",
        [keep_days],
    ).fetchall()
    return {b for b, _ in rows}, {b for b, due in rows if due}


def _landed_batch_id(path: Path) -> str:
    return path.name.removesuffix(".part").removesuffix(".parquet")


def purge_landing(con: duckdb.DuckDBPyConnection, landing_dir: Path, keep_days: int) -> int:
    """Delete landed files past retention; returns how many were deleted."""
    if keep_days < 0:
        raise ValueError(f"landing retention must be 0 or more days, got {keep_days}")
    if not landing_dir.is_dir():
        return 0
    recorded, expired = _recorded_before(con, keep_days)
    orphan_cutoff = time.time() - max(keep_days, 1) * _DAY
    purged = 0
    for path in sorted(landing_dir.glob("*.parquet*")):
        batch_id = _landed_batch_id(path)
        orphan = batch_id not in recorded and path.stat().st_mtime < orphan_cutoff
        if batch_id in expired or orphan:
            path.unlink(missing_ok=True)
            purged += 1
    if purged:
        logger.info("raw landing: %d file(s) purged (retention %d days)", purged, keep_days)
    return purged
