"""The core table of a kind: made from its contract the first time a batch of it is published.

The seed kinds' tables come from the numbered migrations (they predate the
contracts); a kind added as YAML plus a suite gets its table here, typed as
its staged columns are, with the contract's required columns NOT NULL and no
key index (uniqueness is checked when publishing, see publish.py). An
existing table with a column the contract no longer stages is an error that
says what to change, before the publishing transaction starts.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tasks.datasets import DatasetKind

BATCH_COLUMNS = "plan_id VARCHAR NOT NULL, period VARCHAR NOT NULL, batch_id VARCHAR NOT NULL"


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
        " AND schema_name = 'core' AND table_name = ?",
        [table],
    ).fetchall()
    return [name for (name,) in rows]


def ensure_core_table(con: duckdb.DuckDBPyConnection, kind: DatasetKind, staged: Path) -> None:
    """Create core.<table> from the staged batch's types, or check the existing one."""
    existing = _columns(con, kind.core_table)
    if existing:
        staged_too = {*kind.staged_columns, "plan_id", "period", "batch_id", "source_ref"}
        if missing := [c for c in existing if c not in staged_too]:
            raise ValueError(
                f"core.{kind.core_table} has column(s) {', '.join(missing)} that the contract"
                f" of kind {kind.id} does not stage: add them to"
                f" warehouse/datasets/{kind.id}.yaml, or a migration that drops them"
            )
        return
    columns = ", ".join([*kind.staged_columns, "source_ref"])  # file:line of a file drop
    path = str(staged).replace("'", "''")
    con.execute(f"ATTACH '{path}' AS new_kind (READ_ONLY)")
    try:
        typed = con.execute(f"DESCRIBE SELECT {columns} FROM new_kind.staged").fetchall()
    finally:
        con.execute("DETACH new_kind")
    required = {f.as_ for f in kind.fields if f.required} | set(kind.key)
    body = ", ".join(
        f"{name} {sql_type}{' NOT NULL' if name in required else ''}"
        for name, sql_type, *_ in typed
    )
    con.execute(f"CREATE TABLE core.{kind.core_table} ({BATCH_COLUMNS}, {body})")
