"""Prefect's cost per task run against a local server (issue 6: target < 50 ms).

Starts `prefect server start` on 127.0.0.1 with a throwaway PREFECT_HOME
(SQLite), then times a flow of N no-op tasks against it, and the same body
without Prefect, and prints the difference per task.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TASKS = int(os.environ.get("TASKS", "200"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"prefect server at {url} did not become healthy in {timeout_s} s")


def _client_run(api_url: str) -> float:
    """Run the timed flow in a fresh process pointed at the server; seconds per task."""
    code = f"""
import time
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

@task(cache_policy=NO_CACHE)
def step(i: int) -> int:
    return i

@flow
def many() -> None:
    for i in range({TASKS}):
        step(i)

many()  # warm: first contact with the API, flow registration
t = time.perf_counter()
many()
print(time.perf_counter() - t)
"""
    env = os.environ | {"PREFECT_API_URL": api_url, "PREFECT_LOGGING_LEVEL": "WARNING"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1]) / TASKS


def main() -> None:
    port = _free_port()
    home = Path(tempfile.mkdtemp(prefix="prefect-home-"))
    env = os.environ | {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        api_url = f"http://127.0.0.1:{port}/api"
        _wait_healthy(api_url)
        per_task = _client_run(api_url)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"prefect_tasks={TASKS} prefect_overhead_ms_per_task={per_task * 1000:.1f}")


if __name__ == "__main__":
    main()
