"""Bring the warehouse schema up to date: migrations, seeds, and the cheap check.

Migrations are numbered SQL files in warehouse/migrations, applied in order,
each in its own transaction and recorded in ops.schema_migrations, so a
half-applied migration never stays behind. DuckLake has no PRIMARY KEY or
UNIQUE, so on a lake the same files run with those clauses stripped: the keys
were never what kept rows unique (publishing deletes the slice and every
re-keyed row first), and tests/warehouse/test_lake_schema.py proves the lake's
tables and views equal the single file's, column by column.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import duckdb

from warehouse.tx import transaction

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SEEDS_DIR = Path(__file__).parent / "seeds"
_MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
SEEDS = {
    "core.admin_unit_versions": "admin_units.csv",
    "core.admin_unit_links": "admin_unit_links.csv",
}
_LEDGER = (
    "CREATE SCHEMA IF NOT EXISTS ops;"
    "CREATE TABLE IF NOT EXISTS ops.schema_migrations ("
    " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
    " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
)
_SEED_LEDGER = (
    "CREATE TABLE IF NOT EXISTS ops.seed_loads ("
    " seed_table VARCHAR PRIMARY KEY, sha256 VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL)"
)
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_TABLE_KEY = re.compile(r",\s*(?:CONSTRAINT\s+\w+\s+)?(?:PRIMARY\s+KEY|UNIQUE)\s*\([^)]*\)", re.I)
_INLINE_KEY = re.compile(r"\s+PRIMARY\s+KEY\b(?!\s*\()", re.I)
_INLINE_UNIQUE = re.compile(r"\s+UNIQUE\b(?!\s*\()", re.I)


def strip_keys(sql: str) -> str:
    """The statements without PRIMARY KEY / UNIQUE (inline or table-level), for DuckLake.

    Comments go first, so a key named in a comment is not touched and a comment
    cannot hide the end of a clause. The migrations contain no string literal
    with these words (test_lake_schema checks the result applies and matches).
    """
    sql = _TABLE_KEY.sub("", _COMMENT.sub("", sql))
    # a key's column is NOT NULL: it stays so (a repeated NOT NULL is accepted)
    return _INLINE_UNIQUE.sub("", _INLINE_KEY.sub(" NOT NULL", sql))


def migration_files() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if not match:
            raise ValueError(f"{path}: migration files are named NNNN_snake_name.sql")
        found.append((int(match.group(1)), path))
    return found


def _is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    (kind,) = con.execute(
        "SELECT type FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return kind == "ducklake"


def _ddl(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    return strip_keys(sql) if _is_lake(con) else sql


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[tuple[int, Path]]:
    con.execute(_ddl(con, _LEDGER))
    applied = {
        row[0] for row in con.execute("SELECT version FROM ops.schema_migrations").fetchall()
    }
    return [(version, path) for version, path in migration_files() if version not in applied]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every pending migration and reload the seeds; names applied (seeds too)."""
    applied = []
    for version, path in pending_migrations(con):
        with transaction(con):
            con.execute(_ddl(con, path.read_text(encoding="utf-8")))
            con.execute(
                "INSERT INTO ops.schema_migrations (version, name) VALUES (?, ?)",
                [version, path.stem],
            )
        applied.append(path.stem)
    if applied:  # a migration may have rebuilt a seed table: reload them all
        con.execute("DROP TABLE IF EXISTS ops.seed_loads")
    return applied + [f"seed {table}" for table in load_seeds(con)]


def seed_digests() -> dict[str, str]:
    """SHA-256 of each seed file (24,000 rows of CSV): hashed once per process
    and file version, so the check on every opening costs two stat() calls."""
    digests = {}
    for table, name in SEEDS.items():
        stat = (SEEDS_DIR / name).stat()
        digests[table] = _digest(SEEDS_DIR / name, stat.st_size, stat.st_mtime_ns)
    return digests


@cache
def _digest(path: Path, size: int, mtime_ns: int) -> str:  # size, mtime: the cache key
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_seeds(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Reload seed tables from their CSV files (data, not code) when they changed.

    A table is reloaded only when its file's SHA-256 differs from the one
    recorded at its last load (ops.seed_loads); returns the tables reloaded.
    """
    con.execute(_ddl(con, _SEED_LEDGER))
    loaded = dict(con.execute("SELECT seed_table, sha256 FROM ops.seed_loads").fetchall())
    tables = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables()"
            " WHERE database_name = current_database()"
        ).fetchall()
    }
    reloaded = []
    with transaction(con):
        for table, digest in seed_digests().items():
            if table not in tables or loaded.get(table) == digest:
                continue  # absent: a warehouse migrated only part way (upgrade tests)
            con.execute(f"DELETE FROM {table}")
            # all_varchar: codes keep their leading zeros ('01', '00004')
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT * FROM read_csv(?, header = true,"
                " all_varchar = true)",
                [str(SEEDS_DIR / SEEDS[table])],
            )
            con.execute("DELETE FROM ops.seed_loads WHERE seed_table = ?", [table])
            con.execute(
                "INSERT INTO ops.seed_loads VALUES (?, ?, current_localtimestamp())",
                [table, digest],
            )
            reloaded.append(table)
    return reloaded


def schema_behind(con: duckdb.DuckDBPyConnection) -> str | None:
    """What lags (migrations or seeds), in words for a message, or None when current.

    Two small reads and no DDL: cheap enough for every opening of the warehouse."""
    files = migration_files()
    needed = {version for version, _ in files}
    try:
        applied = {
            v for (v,) in con.execute("SELECT version FROM ops.schema_migrations").fetchall()
        }
        seeds = dict(con.execute("SELECT seed_table, sha256 FROM ops.seed_loads").fetchall())
    except duckdb.CatalogException:  # a new warehouse: no ledger yet
        applied, seeds = set(), {}
    if not needed <= applied:
        return f"is at migration {max(applied, default=0)}, this code needs {max(needed)}"
    if seeds != seed_digests():
        return "has older seed tables (warehouse/seeds) than this code"
    return None
