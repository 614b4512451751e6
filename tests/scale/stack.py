"""Start the scale test's services on 127.0.0.1, free ports, one temporary folder.

PostgreSQL -> the province simulator -> a Prefect server (its database in
PostgreSQL, basic auth on) -> the `plan06` process work pool and the
`sync-plan/rerun` deployment of prefect.yaml (the documented work-pool path).
A phase (`Warehouse`) is one data folder and one warehouse: the single DuckDB
file under it, or a DuckLake catalog database plus a data path; workers and
`plan06` commands of the phase run with its environment.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import Popen

from tasks.settings import PROJECT_ROOT
from tests import pg_cluster
from tests.scale.services import BIN, Processes, free_port, read_url, run, wait_http

POOL = "plan06"  # prefect.yaml's work pool
DEPLOYMENT = "sync-plan/rerun"
HEARTBEAT_SECONDS = "30"  # Prefect's minimum; the watchdog's stale limit is two of them


@dataclass
class Stack:
    root: Path
    procs: Processes
    cluster: pg_cluster.Cluster
    base_env: dict[str, str]
    simulator_url: str = ""
    drops: Path = field(default_factory=Path)


@dataclass(frozen=True)
class Warehouse:
    """One phase's data folder and warehouse, as the environment of its processes."""

    name: str
    env: dict[str, str]
    backend: str

    @property
    def data_dir(self) -> Path:
        return Path(self.env["PLAN06_DATA_DIR"])


def _clean_env() -> dict[str, str]:
    drop = ("PREFECT_", "PLAN06_", "SLACK_")  # no Slack token: delivery is a dry run
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


@contextmanager
def started(root: Path, plans_dir: Path, codes: list[str], periods: list[str],
            scale: float) -> Iterator[Stack]:  # fmt: skip
    """Every service up; all of them stopped on the way out, failure or not."""
    root.chmod(0o755)  # as root, PostgreSQL runs as `postgres` and must reach its folder
    (logs := root / "logs").mkdir()
    procs = Processes(logs)
    cluster = pg_cluster.start(root / "pg")
    try:
        base = _clean_env() | {
            "PYTHONPATH": str(PROJECT_ROOT),
            "PREFECT_HOME": str(root / "prefect-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "GX_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "PLAN06_SIMULATOR_PROVINCES": ",".join(codes),
            "PLAN06_PLANS_DIR": str(plans_dir),
        }
        stack = Stack(root, procs, cluster, base)
        _start_simulator(stack, periods, scale)
        _start_prefect(stack)
        _deploy(stack)
        yield stack
    finally:
        procs.stop_all()
        pg_cluster.stop(root / "pg")


def _start_simulator(stack: Stack, periods: list[str], scale: float) -> None:
    stack.drops = stack.root / "drops"
    args = [str(BIN / "python"), "-m", "tests.scale.simulator", "--drops", str(stack.drops),
            "--scale", str(scale), *periods]  # fmt: skip
    proc = stack.procs.spawn("simulator", args, stack.base_env)
    stack.simulator_url = read_url(stack.procs.logs / "simulator.log", proc, "the simulator")


def _start_prefect(stack: Stack) -> None:
    pg_cluster.create_database(stack.cluster, "prefect")
    database_url = stack.cluster.sqlalchemy_url.rsplit("/", 1)[0] + "/prefect"
    auth = f"plan06-admin:{secrets.token_hex(16)}"
    port = free_port()
    server_env = stack.base_env | {
        "PREFECT_SERVER_API_AUTH_STRING": auth,
        "PREFECT_API_DATABASE_CONNECTION_URL": database_url,
        "PREFECT_SERVER_UI_ENABLED": "false",
    }
    args = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    proc = stack.procs.spawn("prefect-server", args, server_env)
    api = f"http://127.0.0.1:{port}/api"
    user, password = auth.split(":", 1)
    wait_http(f"{api}/health", (user, password), "the Prefect server", proc)
    stack.base_env |= {"PREFECT_API_URL": api, "PREFECT_API_AUTH_STRING": auth}
    os.environ |= {"PREFECT_API_URL": api, "PREFECT_API_AUTH_STRING": auth}  # this process


def _deploy(stack: Stack) -> None:
    env = stack.base_env | {"PLAN06_HOME": str(PROJECT_ROOT)}
    prefect = str(BIN / "prefect")
    # the documented set-up: the locked pool (a run cannot override command, env, folder),
    # which also proves plan06 pool accepts this authenticated server
    run([str(BIN / "plan06"), "pool", "--name", POOL], env, "plan06 pool")
    # prefect.yaml's rerun deployment, as documented; the watchdog is run by the harness
    # (a watchdog deployment would queue behind the runs for the workers' slots).
    run([prefect, "--no-prompt", "deploy", "--name", "rerun"], env, "prefect deploy",
        cwd=PROJECT_ROOT)  # fmt: skip


def phase_warehouse(stack: Stack, name: str, backend: str) -> Warehouse:
    """A fresh data folder and warehouse for a phase, created with `plan06 setup`."""
    data = stack.root / name
    data.mkdir()
    env = stack.base_env | {
        "PLAN06_HOME": str(PROJECT_ROOT),
        "PLAN06_DATA_DIR": str(data),
        "PLAN06_SIMULATOR_URL": stack.simulator_url,
        "PLAN06_SIMULATOR_TOKEN": "plan06-demo-token",
        "PLAN06_SIMULATOR_DROP_ROOT": str(stack.drops),
        "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": HEARTBEAT_SECONDS,
        "PREFECT_WORKER_QUERY_SECONDS": "2",  # pick runs up promptly (default 10 s)
    }
    if backend == "ducklake":
        dsn = pg_cluster.create_database(stack.cluster, f"lake_{name.replace('-', '_')}")
        lake = data / "lake"
        lake.mkdir()
        env |= {"PLAN06_WAREHOUSE": f"ducklake:postgres:{dsn}",
                "PLAN06_LAKE_DATA_PATH": f"{lake}/"}  # fmt: skip
    run([str(BIN / "plan06"), "setup"], env, f"plan06 setup ({name})")
    return Warehouse(name, env, backend)


def start_worker(stack: Stack, warehouse: Warehouse, name: str, limit: int) -> Popen:
    """`prefect worker start` on the pool: at most `limit` runs at once, its own group."""
    args = [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process",
            "--name", name, "--limit", str(limit)]  # fmt: skip
    return stack.procs.spawn(f"worker-{name}", args, warehouse.env, cwd=PROJECT_ROOT)


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
