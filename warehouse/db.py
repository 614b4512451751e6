"""Open the DuckDB warehouse and bring its schema up to date.

Migrations are numbered SQL files in warehouse/migrations, applied in order,
each in its own transaction and recorded in ops.schema_migrations, so a
half-applied migration never stays behind.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SEEDS_DIR = Path(__file__).parent / "seeds"
T = TypeVar("T")
_MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file (DuckDB allows one writer)."""


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


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, ROLLBACK on any error: all or nothing."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[tuple[int, Path]]:
    con.execute(
        "CREATE SCHEMA IF NOT EXISTS ops;"
        "CREATE TABLE IF NOT EXISTS ops.schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    applied = {
        row[0] for row in con.execute("SELECT version FROM ops.schema_migrations").fetchall()
    }
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if not match:
            raise ValueError(f"{path}: migration files are named NNNN_snake_name.sql")
        if int(match.group(1)) not in applied:
            found.append((int(match.group(1)), path))
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every pending migration and reload the seeds; names applied."""
    applied = []
    for version, path in pending_migrations(con):
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO ops.schema_migrations (version, name) VALUES (?, ?)",
                [version, path.stem],
            )
        applied.append(path.stem)
    if applied:  # a migration may have rebuilt a seed table: reload them all
        con.execute("DROP TABLE IF EXISTS ops.seed_loads")
    load_seeds(con)
    return applied


SEEDS = {
    "core.admin_unit_versions": "admin_units.csv",
    "core.admin_unit_links": "admin_unit_links.csv",
}


def load_seeds(con: duckdb.DuckDBPyConnection) -> None:
    """Reload seed tables from their CSV files (data, not code) when they changed.

    Every writer opens the warehouse through here; the unit seeds are 24,000
    rows, so a table is reloaded only when its file's SHA-256 differs from the
    one recorded at its last load (ops.seed_loads).
    """
    con.execute(
        "CREATE TABLE IF NOT EXISTS ops.seed_loads ("
        " seed_table VARCHAR PRIMARY KEY, sha256 VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL)"
    )
    loaded = dict(con.execute("SELECT seed_table, sha256 FROM ops.seed_loads").fetchall())
    tables = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables()"
            " WHERE database_name = current_database()"
        ).fetchall()
    }
    with transaction(con):
        for table, name in SEEDS.items():
            if table not in tables:  # a warehouse migrated only part way (upgrade tests)
                continue
            seed = SEEDS_DIR / name
            digest = hashlib.sha256(seed.read_bytes()).hexdigest()
            if loaded.get(table) == digest:
                continue
            con.execute(f"DELETE FROM {table}")
            # all_varchar: codes keep their leading zeros ('01', '00004')
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT * FROM read_csv(?, header = true,"
                " all_varchar = true)",
                [str(seed)],
            )
            con.execute(
                "INSERT OR REPLACE INTO ops.seed_loads VALUES (?, ?, current_localtimestamp())",
                [table, digest],
            )


def open_warehouse(path: Path, config: dict[str, str] | None = None) -> duckdb.DuckDBPyConnection:
    """Connect and migrate: what every writer does first."""
    con = connect(path, config=config)
    migrate(con)
    return con


# --- interim (branch i14r): the backend branch provides the real ones ---
def open_writer(settings: Any) -> duckdb.DuckDBPyConnection:
    from tasks.settings import duckdb_config

    return open_warehouse(settings.warehouse_path, duckdb_config())


def open_reader(settings: Any, wait_s: float) -> duckdb.DuckDBPyConnection:
    return connect(settings.warehouse_path, read_only=True)


def retry_conflicts(
    fn: Callable[[duckdb.DuckDBPyConnection], T], con: duckdb.DuckDBPyConnection, *, what: str
) -> tuple[T, int]:
    with transaction(con):
        return fn(con), 0
