"""Seeds are reloaded when their file changes, not on every connection."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import warehouse.schema
from warehouse.db import SEEDS_DIR, load_seeds, open_warehouse


def test_a_seed_is_reloaded_only_when_its_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(warehouse.schema, "SEEDS_DIR", seeds)
    con = open_warehouse(tmp_path / "w.duckdb")
    count = "SELECT count(*) FROM core.admin_unit_versions"
    assert con.execute(count).fetchone() == (13_453,)
    con.execute("DELETE FROM core.admin_unit_versions WHERE level = 'province'")
    load_seeds(con)  # same file: left as it is
    assert con.execute(count).fetchone() == (13_453 - 97,)
    units = seeds / "admin_units.csv"
    units.write_text(units.read_text(encoding="utf-8") + "99998,Xã Thử,commune,79,,,"
                     "2025-07-01,,\n", encoding="utf-8")  # fmt: skip
    load_seeds(con)  # changed file: reloaded whole
    assert con.execute(count).fetchone() == (13_454,)
