"""The processes of the scale test: each in its own process group, all stopped at the end.

PostgreSQL (tests/pg_cluster.py) holds the Prefect server's database and, on
the DuckLake backend, the lake's catalog. A Prefect flow run is started by its
worker in a new session (the runner's start_new_session), so killing a
worker's process group alone would leave its runs alive: `kill_tree` kills the
worker and every descendant, as losing the machine would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children_of() -> dict[int, list[int]]:
    """Every process's children, from /proc (no psutil here)."""
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            found.setdefault(parent, []).append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    tree, found, todo = children_of(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def flow_run_ids(pid: int) -> list[str]:
    """Flow runs executing under a worker: its descendants' PREFECT__FLOW_RUN_ID."""
    ids = []
    for child in descendants(pid):
        with contextlib.suppress(OSError):
            env = Path(f"/proc/{child}/environ").read_bytes().split(b"\0")
            ids += [e.split(b"=", 1)[1].decode() for e in env
                    if e.startswith(b"PREFECT__FLOW_RUN_ID=")]  # fmt: skip
    return sorted(set(ids))


class Processes:
    """The processes started so far, stopped in reverse order by `stop_all`."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen]] = []

    def spawn(self, name: str, args: list[str], env: dict[str, str],
              cwd: Path | None = None) -> subprocess.Popen:  # fmt: skip
        log = (self.logs / f"{name}.log").open("ab")
        proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        self.started.append((name, proc))
        return proc

    def kill_tree(self, proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """Signal the process's group and every descendant (flow runs are in new sessions)."""
        victims = descendants(proc.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def stop(self, proc: subprocess.Popen, grace_s: float = 10) -> None:
        if proc.poll() is None:
            self.kill_tree(proc, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(grace_s)
        self.kill_tree(proc, signal.SIGKILL)  # and any run it left behind
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)

    def stop_all(self) -> None:
        for _, proc in reversed(self.started):
            self.stop(proc)
        self.started.clear()


def run(args: list[str], env: dict[str, str], what: str, cwd: Path | None = None,
        timeout: float = 300) -> str:  # fmt: skip
    """Run a command to its end; its output, or SystemExit saying what failed."""
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)  # fmt: skip
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
        raise SystemExit(f"{what} failed (exit {done.returncode}):\n" + "\n".join(tail))
    return done.stdout


def wait_http(url: str, auth: tuple[str, str] | None, what: str, proc: subprocess.Popen,
              timeout_s: float = 180) -> None:  # fmt: skip
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode} before answering {url}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, auth=auth, timeout=2, trust_env=False).is_success:
                return
        time.sleep(0.5)
    raise SystemExit(f"{what} did not answer {url} within {timeout_s:.0f} s")


def read_url(path: Path, proc: subprocess.Popen, what: str, timeout_s: float = 120) -> str:
    """The first URL a process wrote to its log (the simulator prints where it listens)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        lines = path.read_text().splitlines() if path.exists() else []
        if urls := [line.strip() for line in lines if line.startswith("http")]:
            return urls[0]
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}: see {path}")
        time.sleep(0.2)
    raise SystemExit(f"{what} printed nothing within {timeout_s:.0f} s: see {path}")
