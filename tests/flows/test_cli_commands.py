"""Every command of `plan06 --help`, run as a user runs it: a subprocess of the
installed console script, against a Prefect server, the simulator and a fake
Slack, on a warehouse with pending messages."""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.plans import load_plans
from tasks.settings import PROJECT_ROOT
from tests.fakes.slack import FakeSlack
from tests.flows.test_serve_e2e import BIN, free_port, healthy, server_env, stop, wait_for

pytestmark = pytest.mark.e2e
PLANS = load_plans(PROJECT_ROOT / "flows" / "plans")
PLAN, PERIOD = "binh-duong-cu-tru-dat-dai", "2026-10"
TOKEN = "xoxb-cli-token"


def plan06(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "plan06"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> Iterator[dict[str, str]]:
    home, data = tmp_path_factory.mktemp("prefect"), tmp_path_factory.mktemp("data")
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    values = server_env(home, data, port, PLAN06_LANGUAGE="vi")
    for name in ("SLACK_BOT_TOKEN", "SLACK_API_URL", "PLAN06_SIMULATOR_URL", "PLAN06_DEBUG"):
        values.pop(name, None)
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=values,
        stdout=log,
        stderr=log,
    )
    try:
        wait_for(lambda: healthy(url), "the Prefect server's /api/health")
        yield values
    finally:
        stop(server)


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN, channels=tuple(p.slack_channel for p in PLANS.values())) as fake:
        yield fake


@pytest.fixture(scope="module")
def backfilled(env) -> subprocess.CompletedProcess:
    # no Slack token: the messages are rendered (dry run) and stay pending in the outbox
    return plan06("backfill", PLAN, "--from", PERIOD, "--to", PERIOD, env=env)


def pending(env: dict[str, str]) -> int:
    con = duckdb.connect(str(Path(env["PLAN06_DATA_DIR"]) / "plan06.duckdb"), read_only=True)
    try:
        sql = "SELECT count(*) FROM ops.outbox WHERE status IN ('pending', 'failed')"
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_every_command_of_the_help_answers_its_own_help(env):
    listing = plan06("--help", env=env)
    assert listing.returncode == 0
    commands = re.findall(r"^│ (\w[\w-]*) ", listing.stdout, re.M)
    expected = {"run", "status", "notify", "backfill", "digest", "report", "export", "plans"}
    assert expected <= set(commands)
    for command in commands:
        result = plan06(command, "--help", env=env)
        assert result.returncode == 0, (command, result.stderr)


def test_backfill_runs_the_flow_to_the_end_and_leaves_messages_pending(backfilled, env):
    assert backfilled.returncode == 0, backfilled.stderr[-3000:]
    assert f"{PLAN} {PERIOD}: chạy" in backfilled.stdout
    assert "Traceback" not in backfilled.stdout + backfilled.stderr
    assert pending(env) > 0
    again = plan06("backfill", PLAN, "--from", PERIOD, "--to", PERIOD, "--dry-run", env=env)
    assert again.returncode == 0 and f"{PERIOD}: sẽ bỏ qua" in again.stdout


def test_notify_delivers_the_pending_messages(backfilled, env, slack):
    with_slack = {**env, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": slack.url}
    result = plan06("notify", env=with_slack)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"Slack: đã gửi [1-9]\d*, cập nhật \d+, lỗi 0\.", result.stdout)
    assert pending(env) == 0 and slack.posts


def test_digest_goes_to_the_leads_channel(backfilled, env, slack):
    channel = next(iter(PLANS.values())).slack_channel
    with_slack = {
        **env,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": slack.url,
        "PLAN06_DIGEST_CHANNEL": channel,
    }
    result = plan06("digest", env=with_slack)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "bản tổng hợp tuần" in result.stdout.lower()
    assert any(c.channel == channel and c.method == "chat.postMessage" for c in slack.posts)


def test_digest_without_its_channel_is_one_sentence(env):
    result = plan06("digest", env={**env, "PLAN06_LANGUAGE": "en"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: PLAN06_DIGEST_CHANNEL is not set: set it to the Slack channel id of the leads."
    ]


def test_report_writes_every_page(backfilled, env):
    result = plan06("report", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = [line for line in result.stdout.splitlines() if line.startswith("file://")]
    assert len(pages) >= 3 and any(PLAN in p for p in pages)


def test_export_writes_the_workbook(backfilled, env, tmp_path):
    out = tmp_path / "bd.xlsx"
    result = plan06("export", PLAN, "--period", PERIOD, "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert out.exists() and out.resolve().as_uri() in result.stdout


class Holder(threading.Thread):
    """Holds the DuckDB write lock as a running job does, for `seconds` or until released."""

    def __init__(self, env: dict[str, str], seconds: float) -> None:
        super().__init__()
        self.path, self.seconds = Path(env["PLAN06_DATA_DIR"]) / "plan06.duckdb", seconds
        self.held, self.released = threading.Event(), threading.Event()

    def run(self) -> None:
        con = duckdb.connect(str(self.path))
        self.held.set()
        self.released.wait(self.seconds)
        con.close()

    def release(self) -> None:
        self.released.set()
        self.join()


def hold_warehouse(env: dict[str, str], seconds: float) -> Holder:
    holder = Holder(env, seconds)
    holder.start()
    holder.held.wait()
    return holder


def test_status_during_a_run_waits_for_the_warehouse(backfilled, env):
    holder = hold_warehouse(env, 3)
    result = plan06("status", "--wait", "30", env=env)
    holder.join()
    assert result.returncode == 0, result.stderr
    assert PLANS[PLAN].name in result.stdout and "Traceback" not in result.stderr


def test_a_warehouse_held_too_long_is_one_sentence_and_debug_shows_the_traceback(backfilled, env):
    holder = hold_warehouse(env, 900)  # held until the three commands have given up
    try:
        short = plan06("status", "--wait", "1", env=env)
        dry_run = ("--from", PERIOD, "--to", PERIOD, "--dry-run", "--wait", "1")
        dry = plan06("backfill", PLAN, *dry_run, env=env)
        debug = plan06("--debug", "status", "--wait", "1", env=env)
    finally:
        holder.release()
    for result in (short, dry):
        assert result.returncode == 1 and result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("lỗi: Kho dữ liệu")
        assert lines[0].endswith(".")
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_run_is_quiet_but_for_a_summary_per_plan(env, tmp_path):
    quiet_env = {**env, "PLAN06_DATA_DIR": str(tmp_path)}
    result = plan06("run", PLAN, "--period", PERIOD, env=quiet_env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "INFO" not in result.stderr and "Task run" not in result.stdout + result.stderr
    assert PLANS[PLAN].name in result.stdout
