"""maintain: the warehouse's upkeep, weekly (`plan06 db maintain` runs it once).

On DuckLake it merges the small Parquet files each publish leaves, expires
snapshots older than PLAN06_LAKE_SNAPSHOT_DAYS (time travel reaches that far
back, no further) and deletes the files no snapshot needs any more
(warehouse/maintenance.py). It runs beside publishing runs: a commit conflict
with one is retried on either side. On the single DuckDB file it folds the
write-ahead log into the file.
"""

from __future__ import annotations

from prefect import flow, get_run_logger

from flows.store import writer
from tasks.settings import load_settings
from warehouse.maintenance import Upkeep, maintain_lake


@flow(name="maintain", log_prints=True)
def maintain(keep_days: int | None = None) -> Upkeep | None:
    """Compact the warehouse; keep_days: snapshots kept (default PLAN06_LAKE_SNAPSHOT_DAYS)."""
    settings = load_settings()
    days = settings.lake_snapshot_days if keep_days is None else keep_days
    with writer(settings) as con:
        if not settings.warehouse.is_lake:
            con.execute("CHECKPOINT")
            return None
        upkeep = maintain_lake(con, days)
    b, a = upkeep.before, upkeep.after
    get_run_logger().info(
        "DuckLake upkeep: data files %d -> %d, snapshots %d -> %d, %d file(s) deleted,"
        " %d commit conflict(s) retried",
        b.data_files,
        a.data_files,
        b.snapshots,
        a.snapshots,
        upkeep.files_deleted,
        upkeep.conflicts_retried,
    )
    return upkeep
