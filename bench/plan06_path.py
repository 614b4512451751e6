"""plan06's real path on a benchmark file: the sync-plan flow, then its rerun.

`python bench/plan06_path.py FILE WORKDIR PERIOD` drops FILE (.csv or
.parquet) into a fresh drop folder; `http:N` instead serves N dossiers from
the bulk simulator (simulator/bulk.py, its own process) to the HTTP source,
page by page. It points plan06 at the benchmark plans (bench/plans/) and a
fresh data folder under WORKDIR, starts Prefect's API (not timed: a server
runs all the time in production), then times sync_plan: pull, staging with
pseudonyms, the full GX suite, publish with the slice replaced, marts and the
outbox, the HTML report. Then, for a file, the same flow again on the
unchanged file: the file ledger must recognise it. Prints key=value figures,
with the steps' times read back from Prefect's task runs.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
# The generated data quarantines about 0.4% of rows by design (bench/generate.py).
PUBLISHED_SHARE = 0.95
PLAN_IDS = {
    ".csv": "bench-dossiers",
    ".parquet": "bench-dossiers-parquet",
    "http": "bench-dossiers-http",
}


@contextmanager
def _bulk_api(rows: int) -> Iterator[None]:
    """The bulk simulator on a free port, named in the HTTP plan's URL variable."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "simulator.bulk", "--rows", str(rows), "--port", str(port)], cwd=ROOT
    )
    url = f"http://127.0.0.1:{port}/bulk"
    os.environ.update(PLAN06_BENCH_API_URL=url, PLAN06_BENCH_API_TOKEN="bench")
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/api/v1/dossiers", params={"page_size": 1}, trust_env=False)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def _prepare(drop_file: Path | None, workdir: Path, period: str) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
    drop = workdir / "drop" / "dossiers" / period
    drop.mkdir(parents=True)
    if drop_file is not None:  # None: served over HTTP
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


def _timed_runs(plan_id: str, period: str, rerun: bool) -> str:
    """Time the flow (and its rerun); the figures as key=value text."""
    from prefect import flow

    from flows.sync_plan import sync_plan

    @flow
    def warm_up() -> None:
        """Start Prefect's API before the clock starts."""

    warm_up()
    started = time.perf_counter()
    state = sync_plan(plan_id, period, deliver=False, return_state=True)
    (run,) = state.result()
    figures = f"plan06_s={time.perf_counter() - started:.2f}"
    if rerun:
        started = time.perf_counter()
        sync_plan(plan_id, period, deliver=False)
        figures += f" rerun_s={time.perf_counter() - started:.2f}"
    steps = _step_seconds(state.state_details.flow_run_id)
    figures += "".join(f" step_{name}_s={seconds:.2f}" for name, seconds in sorted(steps.items()))
    r = run.result
    if r.rows_published < PUBLISHED_SHARE * r.rows_in:
        # a benchmark of the quarantine path is not a benchmark of the load
        sys.exit(
            f"plan06_path: only {r.rows_published:,} of {r.rows_in:,} rows were published"
            f" ({r.rows_quarantined:,} quarantined): the benchmark's data no longer fits"
            f" its plan; see ops.quarantine in {os.environ['PLAN06_DATA_DIR']}"
        )
    return (
        f"{figures} rows_in={r.rows_in} rows_published={r.rows_published}"
        f" rows_quarantined={r.rows_quarantined}"
    )


def main() -> None:
    source, workdir, period = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    sys.path.insert(0, str(ROOT))
    if source.startswith("http:"):
        _prepare(None, workdir, period)
        # no rerun: without an update stamp an API is pulled whole every time
        with _bulk_api(int(source.removeprefix("http:"))):
            print(_timed_runs(PLAN_IDS["http"], period, rerun=False))
        return
    drop_file = Path(source)
    _prepare(drop_file, workdir, period)
    print(_timed_runs(PLAN_IDS[drop_file.suffix], period, rerun=True))


if __name__ == "__main__":
    main()
