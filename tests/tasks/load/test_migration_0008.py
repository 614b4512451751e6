"""Migration 0008 drops the core facts' PRIMARY KEY: an existing warehouse keeps every row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import warehouse.schema
from tests.builders import PLAN_ID
from warehouse.db import MIGRATIONS_DIR, migrate, open_warehouse


def test_an_upgraded_warehouse_keeps_its_rows_and_loses_only_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    before = tmp_path / "before-0008"
    before.mkdir()
    for path in MIGRATIONS_DIR.glob("*.sql"):
        if path.name < "0008":
            shutil.copy(path, before / path.name)
    monkeypatch.setattr(warehouse.schema, "MIGRATIONS_DIR", before)
    con = open_warehouse(tmp_path / "old.duckdb")
    con.execute(
        "INSERT INTO core.dossiers (plan_id, dossier_code, period, procedure_code, unit_code,"
        " domain, channel, received_at, due_at, status, n_components, n_components_digitised,"
        " n_components_reused, has_result_code, has_e_result, result_digitised,"
        " synced_to_portal, batch_id, supplement_requests) VALUES (?, 'HS-1', '2026-10', 'P',"
        " '25741', 'cu_tru', 2, TIMESTAMP '2026-10-05 09:00', TIMESTAMP '2026-10-12 17:00',"
        " 'Đã trả kết quả', 1, 1, 0, true, true, true, true, 'b0', 1)",
        [PLAN_ID],
    )
    old = con.execute("SELECT * FROM core.dossiers").fetchall()
    constraints = (
        "SELECT constraint_type, constraint_column_names FROM duckdb_constraints()"
        " WHERE table_name = 'dossiers' ORDER BY ALL"
    )
    required = [c for c in con.execute(constraints).fetchall() if c[0] == "NOT NULL"]
    assert ("PRIMARY KEY", ["plan_id", "dossier_code"]) in con.execute(constraints).fetchall()

    monkeypatch.setattr(warehouse.schema, "MIGRATIONS_DIR", MIGRATIONS_DIR)
    assert "0008_unkeyed_core_facts" in migrate(con)
    assert con.execute("SELECT * FROM core.dossiers").fetchall() == old
    assert con.execute(constraints).fetchall() == required  # the key only is gone
    con.close()
