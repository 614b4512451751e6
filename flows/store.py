"""How flows open the warehouse: a writer for a short block, or a reader's snapshot.

Which backend (one DuckDB file, or DuckLake on a PostgreSQL catalog) is
configuration (warehouse/db.py); flows only say whether they write. Nothing
slow happens while a writer is open: Slack calls and report rendering work
from rows read first (flows/delivery.py, flows/reporting.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from tasks.settings import Settings
from warehouse.db import open_reader, open_writer


@contextmanager
def writer(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writing connection for the block; on the single file a second writer waits."""
    con = open_writer(settings)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def snapshot(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only view of the last commit (DuckLake: never waits for a writer)."""
    con = open_reader(settings, settings.warehouse_wait_seconds)
    try:
        yield con
    finally:
        con.close()
