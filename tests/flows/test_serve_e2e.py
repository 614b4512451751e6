"""`plan06 serve` against a real `prefect server` on loopback (SQLite, temporary home):
deployments from the plan files, a run triggered through the API with its artifacts and
HTML report, a backfill that skips what is published, and a killed run the watchdog
marks Crashed and alerts. The plans are the seeds plus a fourth plan added as a file."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.deployments import run_deployment
from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogWorker
from prefect.settings import PREFECT_API_URL, temporary_settings

from simulator.server import start_in_thread
from tasks.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
FOURTH = "dong-nai-dvc-truc-tuyen"
SLEEPY = """
import time
from prefect import flow, tags
@flow(name="sleepy-plan-run")
def sleepy(plan_id: str, period: str) -> None:
    time.sleep(300)
with tags("plan06"):
    sleepy("dong-nai-dvc-truc-tuyen", "2026-10")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, seconds: float = 90) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_env(home: Path, data: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment of a `prefect server start` on `port` and of its clients."""
    return {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home}/prefect.db",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PLAN06_DATA_DIR": str(data),
        **extra,
    }


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> Iterator[dict[str, str]]:
    home, data, plans = (tmp_path_factory.mktemp(n) for n in ("prefect", "data", "plans"))
    shutil.copytree(
        PROJECT_ROOT / "flows" / "plans",
        plans,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("*.py", "__pycache__"),
    )
    shutil.copy(PROJECT_ROOT / "tests" / "fixtures" / "plans" / f"{FOURTH}.yaml", plans)
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    values = server_env(home, data, port, PLAN06_PLANS_DIR=str(plans))
    values.pop("SLACK_BOT_TOKEN", None)
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=values,
        stdout=log,
        stderr=log,
    )
    try:
        wait_for(lambda: healthy(url), "the Prefect server's /api/health")
        with start_in_thread() as simulator, temporary_settings({PREFECT_API_URL: url}):
            values |= {
                "PLAN06_SIMULATOR_URL": simulator.url,
                "PLAN06_SIMULATOR_TOKEN": simulator.token,
            }
            try:
                yield values
            finally:
                # Flush this process's log and event workers while their server is
                # up: left bound to a dead server, the next prefect_test_harness
                # hangs for ever draining them at its teardown.
                APILogWorker.drain_all()
                EventsWorker.drain_all()
    finally:
        stop(server)


@pytest.fixture(scope="module")
def served(env) -> Iterator[dict[str, str]]:
    log = (Path(env["PREFECT_HOME"]) / "serve.log").open("w")
    process = subprocess.Popen(
        # a loopback server without an auth string: test_deploy_security covers the refusal
        [BIN / "plan06", "serve", "--insecure", "--watchdog-every", "3600"],
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        with get_client(sync_client=True) as client:
            wait_for(lambda: len(client.read_deployments()) >= 7, "the served deployments")
        yield env
    finally:
        stop(process)


def artifacts(key: str) -> list:
    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )


def batches(env: dict[str, str]) -> list[tuple]:
    con = duckdb.connect(str(Path(env["PLAN06_DATA_DIR"]) / "plan06.duckdb"), read_only=True)
    try:
        return con.execute(
            "SELECT period, status FROM ops.batches WHERE plan_id = ? ORDER BY 1", [FOURTH]
        ).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def fourth_run(served):
    return run_deployment(
        f"run-plan/{FOURTH}",
        parameters={"plan_id": FOURTH, "period": "2026-10"},
        timeout=240,
        poll_interval=1,
    )


def test_serve_creates_each_plans_deployment_and_the_slice_and_plan_guards(served):
    with get_client(sync_client=True) as client:
        names = {d.name for d in client.read_deployments()}
        limits = {g.name: g.limit for g in client.read_global_concurrency_limits(limit=200)}
    assert {FOURTH, "binh-duong-cu-tru-dat-dai", "rerun", "backfill", "watchdog"} <= names
    assert {n: v for n, v in limits.items() if n.startswith("plan06-slice-")} == {
        f"plan06-slice-{i:03d}": 1 for i in range(128)
    }
    assert {n: v for n, v in limits.items() if n.startswith("plan06-plan-")} == {
        f"plan06-plan-{i:03d}": 1 for i in range(32)
    }
    assert "plan06-duckdb-writer" not in limits  # the national writer slot is retired


def test_a_run_triggered_through_the_api_publishes_its_artifacts(fourth_run, served):
    assert fourth_run.state.is_completed(), fourth_run.state
    (report,) = artifacts(f"{FOURTH}-report")[:1]
    assert "Dịch vụ công trực tuyến toàn trình — Đồng Nai — tháng 10/2026" in report.data
    assert "Tỷ lệ nộp trực tuyến" in report.data and "[Kết quả kiểm tra](file://" in report.data
    (table,) = artifacts(f"{FOURTH}-kpis")[:1]
    assert {row["target"] for row in json.loads(table.data)} == {
        "nop-truc-tuyen",
        "dong-bo-cong-dvcqg",
    }
    (progress,) = artifacts(f"{FOURTH}-progress")[:1]
    assert progress.data == 100.0
    page = Path(served["PLAN06_DATA_DIR"]) / "reports" / f"plan-{FOURTH}.html"
    assert "Dịch vụ công trực tuyến toàn trình" in page.read_text(encoding="utf-8")


def test_backfill_deployment_runs_missing_months_and_skips_published_ones(fourth_run, served):
    run = run_deployment(
        "backfill/backfill",
        timeout=240,
        poll_interval=1,
        parameters={"plan_id": FOURTH, "first": "2026-09", "last": "2026-10"},
    )
    assert run.state.is_completed(), run.state
    assert batches(served) == [("2026-09", "published"), ("2026-10", "published")]


def test_a_killed_run_is_marked_crashed_and_alerted_by_the_watchdog(
    fourth_run, served, monkeypatch
):
    from flows.watchdog import watchdog

    env = served | {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30"}
    sleepy = subprocess.Popen(
        [sys.executable, "-c", SLEEPY],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with get_client(sync_client=True) as client:
        run = wait_for(
            lambda: next(
                (
                    r
                    for r in client.read_flow_runs()
                    if r.name
                    and r.state
                    and r.state.is_running()
                    and r.parameters.get("period") == "2026-10"
                    and "plan06" in r.tags
                ),
                None,
            ),
            "the sleepy run",
        )
        sleepy.kill()  # SIGKILL: no hook of the dead process runs
        sleepy.wait()
        time.sleep(3)
        for name in ("PLAN06_DATA_DIR", "PLAN06_PLANS_DIR"):
            monkeypatch.setenv(name, served[name])
        assert run.name in watchdog(stale_after_seconds=2)
        assert client.read_flow_run(run.id).state.is_crashed()
    con = duckdb.connect(str(Path(served["PLAN06_DATA_DIR"]) / "plan06.duckdb"), read_only=True)
    kinds = con.execute("SELECT kind FROM ops.outbox WHERE plan_id = ?", [FOURTH]).fetchall()
    con.close()
    assert ("alert_crashed",) in kinds
