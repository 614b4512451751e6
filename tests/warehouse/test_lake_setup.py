"""`plan06 setup` brings a DuckLake's schema up once; a lake not set up says so in one sentence."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tasks.settings import load_settings
from tests.warehouse.conftest import PASSWORD, PLAN06
from warehouse.db import (
    SchemaNotReadyError,
    WarehouseUnavailableError,
    open_reader,
    open_writer,
    setup_warehouse,
)
from warehouse.schema import migration_files


def _plan06(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAN06, *args], capture_output=True, text=True, timeout=300,
                          env=os.environ | env | {"PYTHONPATH": str(Path.cwd())})  # fmt: skip


def test_setup_applies_every_migration_once(lake_env: dict[str, str]):
    settings = load_settings()
    first = setup_warehouse(settings)
    assert first[: len(migration_files())] == [path.stem for _, path in migration_files()]
    assert "seed core.admin_unit_versions" in first
    assert setup_warehouse(settings) == []  # idempotent: nothing left to apply
    con = open_writer(settings)
    try:
        assert con.execute("SELECT count(*) FROM core.admin_unit_versions").fetchone() == (13_453,)
    finally:
        con.close()


def test_a_lake_not_set_up_asks_for_setup(lake_env: dict[str, str]):
    settings = load_settings()
    latest = max(version for version, _ in migration_files())
    with pytest.raises(SchemaNotReadyError, match=rf"at migration 0, this code needs {latest}"):
        open_writer(settings)
    with pytest.raises(SchemaNotReadyError, match="run `plan06 setup`"):
        open_reader(settings, 1)


def test_the_cli_says_one_sentence_and_never_the_password(lake_env: dict[str, str]):
    status = _plan06("status", env=lake_env)
    assert status.returncode == 1
    assert "run `plan06 setup`" in status.stderr
    assert "Traceback" not in status.stderr + status.stdout
    setup = _plan06("setup", env=lake_env)
    assert setup.returncode == 0, setup.stderr
    assert "applied 0001_layers" in setup.stdout and "password=***" in setup.stdout
    again = _plan06("setup", env=lake_env)
    assert "nothing (up to date)" in again.stdout
    for done in (status, setup, again):
        assert PASSWORD not in done.stdout + done.stderr


def test_a_lake_without_data_path_is_refused_clearly(lake_env: dict[str, str]):
    env = lake_env | {"PLAN06_LAKE_DATA_PATH": ""}
    status = _plan06("status", env=env)
    assert status.returncode == 1
    assert "PLAN06_LAKE_DATA_PATH is unset" in status.stderr
    assert "Traceback" not in status.stderr and PASSWORD not in status.stderr


def test_an_unreachable_catalog_is_one_sentence_without_the_password(lake_env, monkeypatch):
    dsn = lake_env["PLAN06_WAREHOUSE"].replace("dbname=lake_", "dbname=missing_")
    monkeypatch.setenv("PLAN06_WAREHOUSE", dsn)
    with pytest.raises(WarehouseUnavailableError) as caught:
        open_writer(load_settings())
    assert "cannot open DuckLake" in str(caught.value) and "password=***" in str(caught.value)
    assert PASSWORD not in str(caught.value)
