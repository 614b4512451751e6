"""End to end on DuckLake: `plan06 setup`, then a run of the seed plans on the
simulator, then `plan06 status` shows them, then `plan06 db maintain` compacts
the lake and status still shows the same (all as a user types them)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from flows.plans import load_plans
from tasks.settings import load_settings
from tests.warehouse.conftest import PASSWORD, PLAN06


def _plan06(*args: str, env: dict[str, str], timeout: int) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([PLAN06, *args], capture_output=True, text=True, timeout=timeout,
                          env=os.environ | env | {"PYTHONPATH": str(Path.cwd())})  # fmt: skip
    assert done.returncode == 0, f"plan06 {' '.join(args)}: {done.stderr[-3000:]}"
    assert PASSWORD not in done.stdout + done.stderr
    return done


def test_setup_run_and_status_on_ducklake(lake_env: dict[str, str]):
    _plan06("setup", env=lake_env, timeout=300)
    _plan06("run", "--periods", "1", env=lake_env, timeout=1200)
    status = json.loads(_plan06("status", "--json", env=lake_env, timeout=300).stdout)
    shown = {plan["plan_id"] for plan in status["plans"]}
    assert shown == set(load_plans(load_settings().plans_dir))
    assert all(plan["targets"] for plan in status["plans"])
    lake = Path(lake_env["PLAN06_LAKE_DATA_PATH"])
    assert any(lake.rglob("*.parquet"))  # the facts live in the lake, not in a local file
    assert not (Path(lake_env["PLAN06_DATA_DIR"]) / "plan06.duckdb").exists()
    # the upkeep: the history of one snapshot per commit expired, the replaced files
    # scheduled for deletion, and status reads the same figures afterwards
    said = _plan06("db", "maintain", "--keep-days", "0", env=lake_env, timeout=600).stdout
    found = re.search(r"snapshots (\d+) -> (\d+), .*, (\d+) awaiting deletion", said)
    assert found, said
    snaps_before, snaps_after, awaiting = map(int, found.groups())
    assert snaps_after <= 3 < snaps_before and awaiting > 0, said
    after = json.loads(_plan06("status", "--json", env=lake_env, timeout=300).stdout)
    assert _figures(after) == _figures(status)


def _figures(status: dict) -> str:
    """The status without the one value the clock moves (hours since the last data)."""
    return re.sub(r'"freshness_hours": [0-9.]+', "", json.dumps(status["plans"], sort_keys=True))
