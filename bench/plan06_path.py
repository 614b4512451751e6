"""plan06's real path on a benchmark file: the sync-plan flow, then its rerun.

`python bench/plan06_path.py FILE WORKDIR PERIOD` drops FILE (.csv or .parquet) into a fresh drop
folder, points plan06 at the benchmark plan (bench/plans/) and a fresh data
folder under WORKDIR, starts Prefect's API (not timed: a server runs all the
time in production), then times sync_plan: pull (DuckDB bulk read), staging
with pseudonyms, the full GX suite, publish with the slice replaced, marts and
the outbox, the HTML report. Then the same flow again on the unchanged file:
the file ledger must recognise it. Prints key=value figures, the steps' times
read back from Prefect's task runs.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN_IDS = {".csv": "bench-dossiers", ".parquet": "bench-dossiers-parquet"}


def _prepare(drop_file: Path, workdir: Path, period: str) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
    drop = workdir / "drop" / "dossiers" / period
    drop.mkdir(parents=True)
    try:  # a hard link: a symbolic one out of the drop root is refused, as it should be
        (drop / drop_file.name).hardlink_to(drop_file)
    except OSError:
        shutil.copyfile(drop_file, drop / drop_file.name)
    os.environ.update(
        PLAN06_DATA_DIR=str(workdir / "data"),
        PLAN06_PLANS_DIR=str(ROOT / "bench" / "plans"),
        PLAN06_BENCH_DROP_ROOT=str(workdir / "drop"),
        PLAN06_PSEUDONYM_KEY="bench-key-not-a-secret-0123456789abcdef",
        PREFECT_LOGGING_LEVEL="WARNING",
    )


def _step_seconds(flow_run_id: object) -> dict[str, float]:
    """Seconds per task of the flow run, as Prefect recorded them."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    steps: dict[str, float] = {}
    for run in runs:
        name = run.task_key.rsplit("-", 1)[0] if run.task_key else run.name
        steps[name] = steps.get(name, 0.0) + run.total_run_time.total_seconds()
    return steps


def main() -> None:
    drop_file, workdir, period = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    _prepare(drop_file, workdir, period)
    sys.path.insert(0, str(ROOT))
    from prefect import flow

    from flows.sync_plan import sync_plan

    @flow
    def warm_up() -> None:
        """Start Prefect's API before the clock starts."""

    warm_up()
    started = time.perf_counter()
    plan_id = PLAN_IDS[drop_file.suffix]
    state = sync_plan(plan_id, period, deliver=False, return_state=True)
    runs = state.result()
    first = time.perf_counter() - started
    started = time.perf_counter()
    sync_plan(plan_id, period, deliver=False)
    rerun = time.perf_counter() - started
    (run,) = runs
    steps = _step_seconds(state.state_details.flow_run_id)
    print(" ".join(f"step_{name}_s={seconds:.2f}" for name, seconds in sorted(steps.items())))
    print(
        f"plan06_s={first:.2f} rerun_s={rerun:.2f} rows_in={run.result.rows_in}"
        f" rows_published={run.result.rows_published}"
        f" rows_quarantined={run.result.rows_quarantined}"
    )


if __name__ == "__main__":
    main()
