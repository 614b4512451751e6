"""The main job under every recoverable API fault leaves the same status as without.

One plan (Bình Dương: page, offset and cursor paging, API key, incremental
pull) and one period keep this fast; `make run FAULTS=all` does every plan.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.sync_all import sync_all
from simulator.faults import RECOVERABLE, FaultPlan
from simulator.server import start_in_thread

pytestmark = pytest.mark.e2e
PLAN, PERIOD = "binh-duong-cu-tru-dat-dai", "2026-10"


def run_and_status(data_dir: Path, faults: FaultPlan) -> dict:
    with (
        pytest.MonkeyPatch.context() as env,
        start_in_thread(faults=faults, drop_periods=[PERIOD]) as simulator,
    ):
        env.setenv("PLAN06_DATA_DIR", str(data_dir))
        env.setenv("PLAN06_SIMULATOR_URL", simulator.url)
        env.setenv("PLAN06_SIMULATOR_TOKEN", simulator.token)
        env.delenv("SLACK_BOT_TOKEN", raising=False)
        # the flow `plan06 run` calls (CliRunner twice in a process upsets Prefect's logging)
        sync_all(periods=[PERIOD], plan_ids=[PLAN])
        status = CliRunner().invoke(app, ["status", "--json"])
        assert status.exit_code == 0, status.output
    return without_clock(json.loads(status.output))


# Sync lag and freshness measure when a run happened, not what it loaded: a faulty
# run is slower by design, so they are compared apart (records only).
CLOCK_FIELDS = {"lag_median_hours", "lag_p90_hours", "freshness_hours"}


def without_clock(status: dict) -> dict:
    for plan in status["plans"]:
        plan["sync_lag"] = [
            {k: v for k, v in lag.items() if k not in CLOCK_FIELDS} for lag in plan["sync_lag"]
        ]
    return status


def test_status_with_every_fault_equals_the_fault_free_run(prefect_api, tmp_path):
    clean = run_and_status(tmp_path / "clean", FaultPlan())
    faults = FaultPlan(RECOVERABLE, retry_after_s=1, slow_s=0.5)
    faulty = run_and_status(tmp_path / "faulty", faults)
    assert set(faults.fired) == set(RECOVERABLE)  # every mode really happened
    assert faulty == clean and clean["plans"][0]["targets"]


def test_an_unknown_fault_mode_is_refused_before_anything_runs():
    result = CliRunner().invoke(app, ["run", "--simulator-faults", "flood"])
    assert result.exit_code == 1 and "unknown fault mode(s) flood" in result.output
