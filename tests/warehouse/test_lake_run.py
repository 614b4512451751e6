"""End to end on DuckLake: `plan06 setup`, then a run of the seed plans on the
simulator, then `plan06 status` shows them, then `plan06 db maintain` compacts
the lake and status still shows the same (all as a user types them). And two
periods of one new plan run at once: each publishes after the other, never
beside it, and the plan's own rows (dimensions, marts) are there once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from flows.plans import load_plans
from tasks.settings import load_settings
from tests.scale.check import shared_rows_twice
from tests.warehouse.conftest import PASSWORD, PLAN06
from warehouse import db

PLAN = "kien-giang-phu-quoc"
# holds the plan's guard, as a publishing run of the plan would, until told to let go
HOLD_PLAN = """
import sys
from pathlib import Path
from flows.guards import plan_guard
with plan_guard(Path(sys.argv[1]), sys.argv[2], wait_s=60):
    print("held", flush=True)
    sys.stdin.readline()
"""


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


def test_two_periods_of_a_new_plan_publish_one_after_the_other(
    lake_env: dict[str, str], tmp_path: Path
):
    _plan06("setup", env=lake_env, timeout=300)
    # setup wrote the scoring rules: two first publishes must not both insert them
    assert _count("SELECT count(*) FROM core.score_groups") > 0
    data = Path(lake_env["PLAN06_DATA_DIR"])
    env = os.environ | lake_env | {"PYTHONPATH": str(Path.cwd())}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_PLAN, str(data / "locks"), PLAN],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    logs = [tmp_path / f"run-{period}.log" for period in ("2026-10", "2026-11")]
    runs = [
        subprocess.Popen(
            [PLAN06, "run", PLAN, "--period", log.stem.removeprefix("run-")],
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    datasets = len(load_plans(load_settings().plans_dir)[PLAN].datasets)
    # every batch of both runs validated (its data docs written): both are at the publish
    docs = data / "reports" / "datadocs"
    deadline = time.monotonic() + 900
    while len(list(docs.glob("*.json"))) < 2 * datasets:
        done = [log for log, r in zip(logs, runs, strict=True) if r.poll() is not None]
        ended = [log.read_text()[-3000:] for log in done]  # a run ended before its publish
        assert time.monotonic() < deadline and not ended, ended
        time.sleep(1)
    # long past the few seconds a publish of these batches takes: both still wait
    time.sleep(15)
    assert all(r.poll() is None for r in runs), [log.read_text()[-3000:] for log in logs]
    assert _published(PLAN) == 0  # neither published while another writer held the plan
    holder.communicate("go\n", timeout=60)
    for log, run in zip(logs, runs, strict=True):
        assert run.wait(timeout=900) == 0, log.read_text()[-3000:]
    assert _published(PLAN) == 2 * datasets
    con = db.open_reader(load_settings(), 60)
    try:
        plans = con.execute("SELECT count(*) FROM core.plans WHERE plan_id = ?", [PLAN]).fetchone()
        assert plans == (1,)
        assert shared_rows_twice(con) == 0  # no dimension, refresh stamp, mart or rule row twice
    finally:
        con.close()


def _published(plan_id: str) -> int:
    return _count(
        f"SELECT count(*) FROM ops.batches WHERE plan_id = '{plan_id}' AND status = 'published'"
    )


def _count(sql: str) -> int:
    con = db.open_reader(load_settings(), 60)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()
