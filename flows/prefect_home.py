"""The ephemeral Prefect API of `plan06 run`: a start-up timeout, a home, a clean-up.

Without PREFECT_API_URL, Prefect starts a temporary API server (uvicorn) in a
subprocess the first time a flow runs. Three things went wrong (issue 16):
- its 20 s start-up timeout is too short on a loaded 2-core machine;
- every run on the machine shared one SQLite under ~/.prefect, and 8 runs
  starting on a fresh one raced on creating it;
- a SIGKILLed run cannot stop its server: the server lived on.
So each data directory gets its own PREFECT_HOME, the first run creates its
database under a file lock while the others wait, and each server carries its
owner's identity in its environment so that the next run stops the servers of
runs that died.
"""

from __future__ import annotations

import fcntl
import os
import signal
import time
from contextlib import suppress
from pathlib import Path

STARTUP_TIMEOUT_SECONDS = "180"  # slow first start: SQLite migrations on a loaded machine
OWNER_ENV = "PLAN06_PREFECT_OWNER"  # "pid:start time" of the run that started the server
HOME_ENV = "PLAN06_PREFECT_HOME"
READY = ".plan06-ready"


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks: a pid and it name one process, never reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _owner_alive(owner: str) -> bool:
    pid, _, started = owner.partition(":")
    return pid.isdigit() and _start_time(int(pid)) == started


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.partition(b"=") for item in raw.split(b"\0") if item)
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, _, v in pairs}


def orphaned_servers(home: Path) -> list[int]:
    """Pids of Prefect servers of this home whose run is gone (killed, crashed)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        pid = int(entry.name)
        if pid == os.getpid():
            continue
        env = _environ(pid)
        if env.get(HOME_ENV) != str(home) or OWNER_ENV not in env:
            continue
        with suppress(OSError):
            if b"uvicorn" in (entry / "cmdline").read_bytes() and not _owner_alive(env[OWNER_ENV]):
                found.append(pid)
    return found


def stop_orphans(home: Path, grace_seconds: float = 5.0) -> list[int]:
    """SIGTERM the servers the last runs left, SIGKILL those still there after the grace."""
    pids = orphaned_servers(home)
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and any(_start_time(p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids


def _start_api_server(home: Path) -> None:
    """Start the run's API server now, with plan06's timeout. Prefect would start it
    at the first flow with the timeout of the settings it read when first imported,
    and `plan06` imports prefect before it can set the variable: 20 s, which failed
    runs on a loaded machine. The first run creates the database holding a lock;
    the others wait for it, then find the database ready."""
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # one per process: the same server the flows then use
    if (home / READY).exists():
        server.start(timeout=int(STARTUP_TIMEOUT_SECONDS))
        return
    with (home / ".plan06-startup.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        server.start(timeout=int(STARTUP_TIMEOUT_SECONDS))  # migrates a new database
        (home / READY).touch()


def use_ephemeral_prefect(data_dir: Path) -> Path | None:
    """Prepare this process's ephemeral Prefect API; the PREFECT_HOME used, or None
    when a real API (PREFECT_API_URL) is configured. Call before prefect is imported."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    home = Path(os.environ.setdefault("PREFECT_HOME", str(data_dir.resolve() / "prefect")))
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", STARTUP_TIMEOUT_SECONDS
    )
    stop_orphans(home)
    # inherited by the server Prefect spawns: how the next run recognises an orphan
    os.environ[HOME_ENV] = str(home)
    os.environ[OWNER_ENV] = f"{os.getpid()}:{_start_time(os.getpid())}"
    _start_api_server(home)
    return home
