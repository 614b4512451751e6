"""The shape of a plan run (issue 14): a handful of warehouse openings whatever the
number of datasets, marts refreshed once per plan and period, one all-or-nothing
publish of the period, and one guard per slice instead of one national slot."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import flows.publishing
import flows.store
import tasks.load.marts
from flows.plans import load_plans
from flows.sync_plan import sync_plan
from simulator.server import start_in_thread
from tasks.settings import PROJECT_ROOT

PLAN = "binh-duong-cu-tru-dat-dai"  # several datasets: dossiers, land, residence...
PERIOD = "2026-10"


@pytest.fixture
def env(prefect_api, tmp_path: Path) -> Iterator[tuple[Path, Counter]]:
    """The simulator and a fresh data folder; counts each kind of warehouse opening."""
    opened: Counter = Counter()
    with pytest.MonkeyPatch.context() as mp, start_in_thread() as simulator:
        mp.setenv("PLAN06_DATA_DIR", str(tmp_path))
        mp.setenv("PLAN06_SIMULATOR_URL", simulator.url)
        mp.setenv("PLAN06_SIMULATOR_TOKEN", simulator.token)
        for name in ("open_writer", "open_reader"):  # count, then open for real
            real = getattr(flows.store, name)

            def counted(*args, real=real, name=name):
                opened[name] += 1
                return real(*args)

            mp.setattr(flows.store, name, counted)
        real_refresh = tasks.load.marts.refresh_marts

        def refresh(con, plan_id):
            opened["marts"] += 1
            return real_refresh(con, plan_id)

        mp.setattr(flows.publishing, "refresh_marts", refresh)
        yield tmp_path, opened


def batches(data_dir: Path) -> list[tuple]:
    con = duckdb.connect(str(data_dir / "plan06.duckdb"), read_only=True)
    try:
        return con.execute(
            "SELECT dataset, status FROM ops.batches WHERE plan_id = ? ORDER BY 1", [PLAN]
        ).fetchall()
    finally:
        con.close()


def test_a_run_opens_the_warehouse_a_handful_of_times_and_refreshes_marts_once(env):
    data_dir, opened = env
    datasets = len(load_plans(PROJECT_ROOT / "flows" / "plans")[PLAN].datasets)
    assert datasets >= 3
    runs = sync_plan(PLAN, PERIOD, deliver=True)
    assert len(runs) == datasets
    assert opened["marts"] == 1  # once for the plan and period, not once per dataset
    # prepare, publish, one read for reports, the outbox (read, then a write per message
    # in dry run: none) — against 2N + 5 before the reshape
    assert opened["open_writer"] + opened["open_reader"] <= 5, opened
    assert len(batches(data_dir)) == datasets


def test_a_failure_while_publishing_leaves_the_warehouse_as_it_was(env, monkeypatch):
    data_dir, _ = env
    sync_plan(PLAN, PERIOD, deliver=False)
    before = batches(data_dir)
    calls = Counter()
    real = flows.publishing.save_source_state

    def fails_on_the_second_dataset(con, slice_, state, published):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full (injected)")
        return real(con, slice_, state, published)

    monkeypatch.setattr(flows.publishing, "save_source_state", fails_on_the_second_dataset)
    with pytest.raises(OSError, match="injected"):
        sync_plan(PLAN, PERIOD, deliver=False)
    assert batches(data_dir) == before  # the first dataset's batch rolled back with the rest


HOLD = """
import sys, time
from pathlib import Path
from flows.guards import slice_guard
with slice_guard(Path(sys.argv[1]), [tuple(sys.argv[2].split("/"))], wait_s=60):
    print(time.time(), flush=True)  # when it got the guard
    time.sleep(float(sys.argv[3]))
    print(time.time(), flush=True)  # when it lets go
"""


def hold(lock_dir: Path, slice_: str, seconds: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock_dir), slice_, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )


def test_a_second_run_of_the_same_slice_waits_and_other_slices_do_not(tmp_path):
    # no Prefect server in these processes' environment: the file-lock guards
    first = hold(tmp_path, f"{PLAN}/dossiers/{PERIOD}", 12)
    first.stdout.readline()  # it holds the slice now, for 12 s
    same = hold(tmp_path, f"{PLAN}/dossiers/{PERIOD}", 0)
    other = hold(tmp_path, f"{PLAN}/dossiers/2026-09", 0)
    other_got = float(other.stdout.readline())
    same_got = float(same.stdout.readline())
    first_let_go = float(first.stdout.readline())
    for p in (first, same, other):
        assert p.wait(60) == 0
    assert same_got >= first_let_go  # the same slice waited for the first run to let go
    assert other_got < first_let_go  # a different period did not wait for it


def test_a_slice_busy_past_the_wait_says_so(tmp_path):
    first = hold(tmp_path, f"{PLAN}/dossiers/{PERIOD}", 15)
    first.stdout.readline()
    script = (
        "import sys; from pathlib import Path; from flows.guards import slice_guard\n"
        f"with slice_guard(Path({str(tmp_path)!r}), [({PLAN!r}, 'dossiers', {PERIOD!r})],"
        " wait_s=1): pass"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    took = time.monotonic() - started
    first.wait(60)
    assert done.returncode == 1 and took < 12  # 1 s of waiting, plus Python's start
    assert "another plan06 run has held plan06-slice-" in done.stderr
