"""Open the warehouse: one DuckDB file, or DuckLake (PostgreSQL catalog + Parquet).

Both backends run the same SQL; the differences stay here. The single file
allows one process at a time, so openers wait (bounded) for it; DuckLake
takes many writers (commit conflicts are retried, warehouse/tx.py) and its
readers read a snapshot. The schema is brought up to date by `plan06 setup`;
an opening only checks it (the single file, the embedded default, migrates
when behind so `make run` needs no extra step).
"""

from __future__ import annotations

import logging
import random
import sys
import time
from pathlib import Path

import duckdb

from tasks.settings import Settings, WarehouseTarget, duckdb_config, mask_dsn
from warehouse.extensions import load_lake_extensions
from warehouse.schema import (  # noqa: F401  (the names callers import from here)
    MIGRATIONS_DIR,
    SEEDS,
    SEEDS_DIR,
    load_seeds,
    migrate,
    pending_migrations,
    schema_behind,
)
from warehouse.tx import retry_conflicts, transaction  # noqa: F401

log = logging.getLogger("plan06.warehouse")
LAKE = "lake"  # the catalog name of an attached DuckLake


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file (DuckDB allows one writer)."""


class SchemaNotReadyError(RuntimeError):
    """The DuckLake's schema is older than the code: `plan06 setup` brings it up."""


class WarehouseUnavailableError(RuntimeError):
    """The DuckLake catalog or data path cannot be reached (message masked)."""


def connect(
    path: Path, read_only: bool = False, config: dict[str, str] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file; a clear error when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config or {})
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseLockedError(
                f"{path} is in use by another process (DuckDB allows one writer). "
                "Wait for the running job to finish, or point PLAN06_WAREHOUSE elsewhere."
            ) from exc
        raise


def connect_waiting(
    path: Path, wait_s: float, read_only: bool = False, config: dict[str, str] | None = None
) -> duckdb.DuckDBPyConnection:
    """connect(), waiting up to wait_s while another process holds the file.

    Small jittered polls: two waiters do not retry in step, and the file is
    taken within a fraction of a second of its release. A writer says once
    that it waits; a reader (`plan06 status`) stays quiet, its caller tells
    the user if the wait runs out."""
    deadline, said = time.monotonic() + wait_s, ""
    while True:
        try:
            return connect(path, read_only=read_only, config=config)
        except WarehouseLockedError as exc:
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(
                    f"{path} was held by another plan06 process for {wait_s:g} s (DuckDB allows"
                    " one writer): try again when it ends, or raise PLAN06_WAREHOUSE_WAIT_SECONDS."
                ) from exc
            if not said and not read_only:  # stderr (a quiet CLI hides logs) and a log record
                said = f"waiting up to {wait_s:g} s for another plan06 process writing {path}"
                print(said, file=sys.stderr, flush=True)
                log.info(said)
            time.sleep(random.uniform(0.05, 0.25))


def _attach_lake(
    target: WarehouseTarget, read_only: bool, data_dir: Path
) -> duckdb.DuckDBPyConnection:
    config = duckdb_config() | {"temp_directory": str(data_dir / "duckdb_tmp")}
    con = duckdb.connect(config=config)
    try:
        load_lake_extensions(con, s3=(target.data_path or "").startswith("s3://"))
        dsn = target.dsn.get_secret_value().replace("'", "''") if target.dsn else ""
        data_path = (target.data_path or "").replace("'", "''")
        mode = ", READ_ONLY" if read_only else ""
        con.execute(f"ATTACH 'ducklake:postgres:{dsn}' AS {LAKE} (DATA_PATH '{data_path}'{mode})")
        con.execute(f"USE {LAKE}")
    except duckdb.Error as exc:
        con.close()
        raise WarehouseUnavailableError(
            f"cannot open {target.describe()}: {mask_dsn(' '.join(str(exc).split()))}"
            " (check the catalog DSN in PLAN06_WAREHOUSE and PLAN06_LAKE_DATA_PATH)"
        ) from None  # the original text may carry the DSN unmasked
    except BaseException:
        con.close()
        raise
    return con


def _require_current(con: duckdb.DuckDBPyConnection, target: WarehouseTarget) -> None:
    if lag := schema_behind(con):
        con.close()
        raise SchemaNotReadyError(f"the warehouse at {target.describe()} {lag}: run `plan06 setup`")


def open_writer(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A connection to write with, its schema checked current (see the module doc)."""
    target = settings.warehouse
    if target.is_lake:
        con = _attach_lake(target, read_only=False, data_dir=settings.data_dir)
        _require_current(con, target)
        return con
    con = connect_waiting(settings.warehouse_path, settings.warehouse_wait_seconds,
                          config=duckdb_config())  # fmt: skip
    try:
        if schema_behind(con):
            migrate(con)
    except BaseException:
        con.close()
        raise
    return con


def open_reader(settings: Settings, wait_s: float) -> duckdb.DuckDBPyConnection:
    """A read-only connection: on DuckLake the last committed snapshot, never
    blocked by writers; on the single file, waits up to wait_s for a writer."""
    target = settings.warehouse
    if target.is_lake:
        try:
            con = _attach_lake(target, read_only=True, data_dir=settings.data_dir)
        except WarehouseUnavailableError as exc:  # a catalog never set up cannot be read
            if "creating a new DuckLake is explicitly disabled" in str(exc):
                raise SchemaNotReadyError(
                    f"the warehouse at {target.describe()} has no schema yet: run `plan06 setup`"
                ) from None
            raise
        _require_current(con, target)
        return con
    return connect_waiting(settings.warehouse_path, wait_s, read_only=True)


def setup_warehouse(settings: Settings) -> list[str]:
    """`plan06 setup`: apply pending migrations and seeds, whichever backend."""
    target = settings.warehouse
    if target.is_lake:
        con = _attach_lake(target, read_only=False, data_dir=settings.data_dir)
    else:
        con = connect_waiting(settings.warehouse_path, settings.warehouse_wait_seconds)
    try:
        return migrate(con)
    finally:
        con.close()


def open_warehouse(path: Path, config: dict[str, str] | None = None) -> duckdb.DuckDBPyConnection:
    """The single file, connected and migrated (compatibility: use open_writer)."""
    con = connect(path, config=config)
    migrate(con)
    return con
