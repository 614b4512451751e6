"""Raw landing is the only place a raw citizen ID exists, and it is purged by retention."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tasks.datasets import dataset_kind
from tasks.load.publish import BatchInfo, publish_batch
from tasks.load.retention import purge_landing
from tasks.load.stage import stage_batch
from tasks.settings import load_settings
from tasks.validate.run import ExpectationOutcome, RowFailure, Verdict
from tests.builders import PLAN_ID, dossier, land
from tests.tasks.load.conftest import KEY

RAW_IDS = [f"0740{n:08d}" for n in (1, 2, 3)]
TWO_DAYS = 2 * 24 * 3600


def publish_landed(con: duckdb.DuckDBPyConnection, data: Path, batch_id: str) -> None:
    """Land three dossiers as data/landing/<batch>.parquet, stage, publish (row 2 quarantined)."""
    records = [dossier(n + 1, SoGiayToChuHoSo=raw) for n, raw in enumerate(RAW_IDS)]
    landed = land(records, data / "landing" / f"{batch_id}.parquet")
    staged = data / "staging" / f"{batch_id}.duckdb"
    stage_batch(landed, staged, KEY, dataset_kind("dossiers"))
    outcome = ExpectationOutcome("expect_x", "status", "warning", False, False, 1, "lý do")
    verdict = Verdict([outcome], [RowFailure(2, "expect_x", "status", "warning", "lý do")])
    batch = BatchInfo(
        batch_id, PLAN_ID, "dossiers", "2026-10", "/api", None, datetime.now(), "dossiers",
        ("dossier_code",),
    )  # fmt: skip
    publish_batch(con, staged, batch, verdict)


def raw_ids_in(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables of the open database holding any raw ID in any column."""
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables()"
        " WHERE database_name = current_database()"
    ).fetchall()
    return [
        f"{schema}.{table}"
        for schema, table in tables
        if con.execute(
            f'SELECT count(*) FROM "{schema}"."{table}" AS t'
            " WHERE list_has_any(regexp_extract_all(t::VARCHAR, '\\d{12}'), ?)",
            [RAW_IDS],
        ).fetchone()[0]
    ]


def test_no_raw_citizen_id_outside_raw_landing(warehouse, tmp_path: Path):
    publish_landed(warehouse, tmp_path, "b1")
    landed = pq.read_table(tmp_path / "landing" / "b1.parquet").column("SoGiayToChuHoSo")
    assert landed.to_pylist() == RAW_IDS  # the raw layer does hold them: the scan can find them
    assert raw_ids_in(warehouse) == []  # core, quarantine record JSON, audit, marts
    staging = duckdb.connect(str(tmp_path / "staging" / "b1.duckdb"), read_only=True)
    try:
        assert raw_ids_in(staging) == []
    finally:
        staging.close()
    warehouse.execute("CHECKPOINT")
    for path in (tmp_path / "staging" / "b1.duckdb", *tmp_path.glob("w.duckdb*")):
        content = path.read_bytes()
        assert not any(raw.encode() in content for raw in RAW_IDS), path


def test_zero_days_purges_the_landing_right_after_publish(warehouse, tmp_path: Path):
    publish_landed(warehouse, tmp_path, "b1")
    assert purge_landing(warehouse, tmp_path / "landing", keep_days=0) == 1
    assert list((tmp_path / "landing").iterdir()) == []


def test_recent_batches_are_kept_for_the_retention_period(warehouse, tmp_path: Path):
    publish_landed(warehouse, tmp_path, "b1")
    assert purge_landing(warehouse, tmp_path / "landing", keep_days=7) == 0
    assert (tmp_path / "landing" / "b1.parquet").exists()
    # eight days later (the audit row ages, the file is the same)
    warehouse.execute("UPDATE ops.batches SET finished_at = finished_at - INTERVAL 8 DAY")
    assert purge_landing(warehouse, tmp_path / "landing", keep_days=7) == 1


def test_orphaned_landing_is_purged_only_once_old(warehouse, tmp_path: Path):
    landing = tmp_path / "landing"
    landing.mkdir()
    fresh, stale = landing / "in-flight.parquet", landing / "killed-run.parquet.part"
    fresh.write_bytes(b"x")
    stale.write_bytes(b"x")
    old = time.time() - TWO_DAYS
    os.utime(stale, (old, old))
    assert purge_landing(warehouse, landing, keep_days=0) == 1
    assert [p.name for p in landing.iterdir()] == ["in-flight.parquet"]


@pytest.mark.parametrize(("value", "days"), [(None, 7), ("0", 0), ("30", 30)])
def test_retention_setting(monkeypatch, value, days):
    if value is None:
        monkeypatch.delenv("PLAN06_LANDING_RETENTION_DAYS", raising=False)
    else:
        monkeypatch.setenv("PLAN06_LANDING_RETENTION_DAYS", value)
    assert load_settings().landing_retention_days == days


def test_a_bad_retention_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("PLAN06_LANDING_RETENTION_DAYS", "a week")
    with pytest.raises(ValueError, match="PLAN06_LANDING_RETENTION_DAYS='a week'"):
        load_settings()
