"""Upgrades beyond 0008: a warehouse at each earlier version, with rows, migrated to
today keeps its rows (issue 16: only 0008 was tested as an upgrade)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import warehouse.schema
from warehouse.db import MIGRATIONS_DIR, migrate, open_warehouse

QUARANTINED = (
    "INSERT INTO ops.quarantine VALUES ('b1', 'p', 'dossiers', '2026-10', 2, 'HS-2',"
    " 'expect_x', 'c', 'warning', 'lý do', '{}')"
)
BATCH = (
    "INSERT INTO ops.batches VALUES ('b1', 'p', 'dossiers', '2026-10', 'published', 3, 2, 1,"
    " 'x', '/api', NULL, '[]', TIMESTAMP '2026-11-01', TIMESTAMP '2026-11-01 00:01')"
)


def at_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last: str):
    """A warehouse migrated up to `last` (a migration's number) only."""
    older = tmp_path / f"upto-{last}"
    older.mkdir()
    for path in MIGRATIONS_DIR.glob("*.sql"):
        if path.name[:4] <= last:
            shutil.copy(path, older / path.name)
    monkeypatch.setattr(warehouse.schema, "MIGRATIONS_DIR", older)
    con = open_warehouse(tmp_path / f"at-{last}.duckdb")
    monkeypatch.setattr(warehouse.schema, "MIGRATIONS_DIR", MIGRATIONS_DIR)
    return con


@pytest.mark.parametrize("last", ["0008", "0009"])
def test_0030_keeps_the_quarantine_as_history_and_its_current_view(tmp_path, monkeypatch, last):
    con = at_version(tmp_path, monkeypatch, last)
    con.execute(QUARANTINED)
    con.execute(BATCH)
    old = con.execute("SELECT * FROM ops.quarantine").fetchall()
    applied = migrate(con)
    assert "0030_quarantine_history" in applied
    assert con.execute("SELECT * FROM ops.quarantine").fetchall() == old  # the view
    log = con.execute("SELECT superseded_by FROM ops.quarantine_log").fetchall()
    assert log == [(None,)]
    (reason,) = con.execute("SELECT reason FROM ops.batches").fetchone()
    assert reason is None  # published batches keep no rejection reason
    con.close()


def test_every_migration_applies_on_top_of_each_earlier_version(tmp_path, monkeypatch):
    """From every version, the rest applies, and lands on the same schema as fresh."""

    def schema(con) -> list[tuple]:
        return con.execute(
            "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns()"
            " WHERE database_name = current_database() AND schema_name IN"
            " ('core', 'marts', 'ops') ORDER BY ALL"
        ).fetchall()

    fresh = open_warehouse(tmp_path / "fresh.duckdb")
    expected = schema(fresh)
    fresh.close()
    versions = sorted(p.name[:4] for p in MIGRATIONS_DIR.glob("*.sql"))
    for last in versions[:-1]:
        con = at_version(tmp_path, monkeypatch, last)
        migrate(con)
        assert schema(con) == expected, last
        con.close()
