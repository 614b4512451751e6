"""Backfill plans: one step per month, resumable (published months skipped unless forced),
and `plan06 backfill --dry-run` says what it would do without running anything."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from flows.backfill import backfill_steps, published_periods
from flows.cli import app
from tests.tasks.report.conftest import BD, KG, build
from warehouse.db import connect


@pytest.fixture(scope="module")
def warehouse_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "plan06.duckdb"
    con = connect(path)
    build(con)  # Bình Dương's dossiers published 2026-08..10; Kiên Giang's 2026-10 rejected
    for dataset in BD.datasets[1:]:  # every other dataset of Bình Dương: 2026-09 only
        con.execute(
            "INSERT INTO ops.batches BY NAME SELECT ? AS batch_id, ? AS plan_id, ? AS dataset,"
            " '2026-09' AS period, 'published' AS status, 5 AS rows_in, 5 AS rows_published,"
            " 0 AS rows_quarantined, 'x' AS checksum, now() AS started_at, now() AS finished_at",
            [f"{dataset.id}-2026-09", BD.id, dataset.id],
        )
    con.close()
    return path


def test_published_months_are_those_whose_every_dataset_was_published(warehouse_file):
    con = connect(warehouse_file, read_only=True)
    try:
        assert published_periods(con, BD) == {"2026-09"}  # the month all datasets have
        only_dossiers = BD.model_copy(update={"datasets": BD.datasets[:1]})
        assert published_periods(con, only_dossiers) == {"2026-08", "2026-09", "2026-10"}
        assert published_periods(con, KG) == set()  # rejected: to run again
    finally:
        con.close()


def test_steps_run_missing_months_and_skip_published_ones_unless_forced():
    steps = backfill_steps({"2026-09"}, "2026-07", "2026-10", force=False)
    assert [(s.period, s.action) for s in steps] == [
        ("2026-07", "run"),
        ("2026-08", "run"),
        ("2026-09", "skip"),
        ("2026-10", "run"),
    ]
    assert {s.action for s in backfill_steps({"2026-09"}, "2026-07", "2026-10", True)} == {"run"}


def test_a_range_that_crosses_the_year_has_every_month_once():
    periods = [s.period for s in backfill_steps(set(), "2024-11", "2025-06", force=False)]
    assert periods == ["2024-11", "2024-12"] + [f"2025-0{m}" for m in range(1, 7)]


def test_dry_run_prints_the_plan_and_changes_nothing(warehouse_file, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(warehouse_file, data / "plan06.duckdb")
    before = (data / "plan06.duckdb").read_bytes()
    result = CliRunner().invoke(
        app,
        ["backfill", BD.id, "--from", "2026-09", "--to", "2026-11", "--dry-run"],
        env={"PLAN06_DATA_DIR": str(data), "PLAN06_LANGUAGE": "en"},
    )
    assert result.exit_code == 0, result.output
    assert f"{BD.id} 2026-09: would skip" in result.output
    assert f"{BD.id} 2026-10: would run" in result.output
    assert f"{BD.id} 2026-11: would run" in result.output
    assert (data / "plan06.duckdb").read_bytes() == before


def test_a_bad_range_or_plan_is_a_clear_error():
    runner = CliRunner(env={"PLAN06_LANGUAGE": "en"})
    bad = runner.invoke(
        app, ["backfill", BD.id, "--from", "2025-6", "--to", "2025-08", "--dry-run"]
    )
    assert bad.exit_code == 1 and "must be a month written YYYY-MM" in bad.output
    unknown = runner.invoke(app, ["backfill", "no-plan", "--from", "2025-06", "--to", "2025-08"])
    assert unknown.exit_code == 1 and "unknown plan 'no-plan'" in unknown.output
