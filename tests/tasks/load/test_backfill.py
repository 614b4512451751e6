"""Backfill and rerun through the real flows: a Prefect API, the simulator, DuckDB.

A backfill over a range of periods (sync_all) must leave the same warehouse as
running the periods one by one (sync_plan each); a rerun of one period
replaces exactly that slice; the raw landing is purged after publish.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

from flows.sync_all import sync_all
from flows.sync_plan import sync_plan
from simulator.server import start_in_thread
from tasks.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e
PLAN = "kien-giang-phu-quoc"
PERIODS = ["2026-09", "2026-10"]


def dossiers_only_plans(folder: Path) -> Path:
    """The seed plan with its dossiers dataset only: the publish path is the same for
    every dataset, and one dataset keeps this test to a few flow runs."""
    plan = yaml.safe_load((PROJECT_ROOT / "flows" / "plans" / f"{PLAN}.yaml").read_text("utf-8"))
    plan["datasets"] = [d for d in plan["datasets"] if d["id"] == "dossiers"]
    (folder / f"{PLAN}.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), "utf-8")
    return folder


@dataclass
class Runs:
    backfilled: Path  # sync_all over PERIODS in one call
    one_by_one: Path  # sync_plan for each period, then September again
    one_by_one_before_rerun: dict


@pytest.fixture(scope="module")
def runs(prefect_api, tmp_path_factory) -> Iterator[Runs]:
    backfilled, one_by_one = (tmp_path_factory.mktemp(n) for n in ("backfill", "single"))
    with pytest.MonkeyPatch.context() as env, start_in_thread() as simulator:
        env.setenv("PLAN06_SIMULATOR_URL", simulator.url)
        env.setenv("PLAN06_SIMULATOR_TOKEN", simulator.token)
        env.setenv("PLAN06_LANDING_RETENTION_DAYS", "0")
        env.setenv("PLAN06_PLANS_DIR", str(dossiers_only_plans(tmp_path_factory.mktemp("plans"))))
        env.delenv("SLACK_BOT_TOKEN", raising=False)
        env.setenv("PLAN06_DATA_DIR", str(backfilled))
        sync_all(periods=PERIODS, plan_ids=[PLAN])
        env.setenv("PLAN06_DATA_DIR", str(one_by_one))
        for period in PERIODS:
            sync_plan(PLAN, period, deliver=False)
        before = snapshot(one_by_one)
        sync_plan(PLAN, PERIODS[0], deliver=False)  # the rerun
        yield Runs(backfilled, one_by_one, before)


def snapshot(data_dir: Path) -> dict[str, list]:
    """Everything a lead reads, without batch ids and timestamps (new on every run)."""
    queries = {
        "core.dossiers": "SELECT * EXCLUDE (batch_id) FROM core.dossiers",
        "quarantine": "SELECT * EXCLUDE (batch_id) FROM ops.quarantine",
        "kpis": "SELECT * EXCLUDE (batch_ids) FROM marts.dossier_kpis",
        "scores": "SELECT * EXCLUDE (batch_ids) FROM marts.score_766_indicators",
        "boundaries": "SELECT * EXCLUDE (batch_ids) FROM marts.dossier_kpis_by_boundary",
        "progress": "SELECT * EXCLUDE (batch_ids) FROM marts.target_progress",
        "outbox": "SELECT message_key, text FROM ops.outbox",
    }
    con = duckdb.connect(str(data_dir / "plan06.duckdb"), read_only=True)
    try:
        return {n: con.execute(f"{sql} ORDER BY ALL").fetchall() for n, sql in queries.items()}
    finally:
        con.close()


def test_backfill_equals_running_the_periods_one_by_one(runs):
    snap = snapshot(runs.backfilled)
    assert {row[2] for row in snap["core.dossiers"]} == set(PERIODS)  # the period column
    assert len(snap["scores"]) > 0 and len(snap["progress"]) > 0
    assert snap == runs.one_by_one_before_rerun


def test_raw_landing_is_purged_after_publish_with_zero_retention(runs):
    for data_dir in (runs.backfilled, runs.one_by_one):
        assert list((data_dir / "landing").glob("*.parquet*")) == []


def test_rerun_of_one_period_replaces_exactly_that_slice(runs):
    assert snapshot(runs.one_by_one) == runs.one_by_one_before_rerun
    con = duckdb.connect(str(runs.one_by_one / "plan06.duckdb"), read_only=True)
    try:
        # September's dossiers now come from the rerun's batch; October keeps its own
        owners = con.execute(
            "SELECT d.period, list(DISTINCT d.batch_id), any_value(b.status)"
            " FROM core.dossiers AS d JOIN ops.batches AS b USING (batch_id)"
            " GROUP BY d.period ORDER BY d.period"
        ).fetchall()
        audits = con.execute(
            "SELECT period, list(batch_id ORDER BY finished_at) FROM ops.batches"
            " WHERE dataset = 'dossiers' GROUP BY period ORDER BY period"
        ).fetchall()
    finally:
        con.close()
    assert [len(a[1]) for a in audits] == [2, 1]
    assert owners == [
        (PERIODS[0], [audits[0][1][-1]], "published"),
        (PERIODS[1], audits[1][1], "published"),
    ]
