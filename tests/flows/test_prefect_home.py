"""Ephemeral Prefect of `plan06 run` (flows/prefect_home.py): issue 16's item 5.

A SIGKILLed run left its uvicorn API server running (5 of 5 kills); runs shared
one SQLite; Prefect's 20 s start-up timeout failed `make run` on a busy machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flows.prefect_home import HOME_ENV, OWNER_ENV, _start_time, stop_orphans

# A plan06 run as far as Prefect goes: prepare, start the API server, say its pid, wait.
# `plan06` imports prefect (and its settings, with Prefect's 20 s start-up timeout)
# before the run prepares anything, so the server must already be started by then.
RUN = """
import sys, time
from pathlib import Path
import flows.cli
from flows.prefect_home import use_ephemeral_prefect
home = use_ephemeral_prefect(Path(sys.argv[1]))
from prefect.server.api.server import SubprocessASGIServer
server = SubprocessASGIServer()
print(home, server.running, server.server_process.pid, flush=True)
time.sleep(600)
"""


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PLAN06_"))}
    return env | {"PYTHONPATH": str(Path.cwd())}


def _killed_run(data: Path) -> tuple[str, str, int]:
    """A run SIGKILLed once its server is up (no atexit, no hook stops the server)."""
    run = subprocess.Popen([sys.executable, "-c", RUN, str(data)], stdout=subprocess.PIPE,
                           text=True, env=clean_env())  # fmt: skip
    try:
        home, started, server = run.stdout.readline().split()
    finally:
        run.kill()
        run.wait()
    return home, started, int(server)


def test_a_killed_run_s_server_is_stopped_by_the_next_run(tmp_path: Path):
    home, started, server = _killed_run(tmp_path / "data")
    assert Path(home) == tmp_path / "data" / "prefect"  # per data directory
    assert (Path(home) / "prefect.db").exists()
    assert started == "True"  # by plan06, with its 180 s, not by the first flow with 20 s
    time.sleep(1)
    assert _start_time(server) is not None  # left running, as issue 16 found
    assert stop_orphans(Path(home)) == [server]
    assert _start_time(server) is None or _is_zombie(server)
    # the next run, on the database the first created, starts its server the same way
    _, started, server = _killed_run(tmp_path / "data")
    assert started == "True"
    assert stop_orphans(Path(home)) == [server]


def _is_zombie(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_a_server_whose_run_is_alive_is_left_alone(tmp_path: Path):
    home = tmp_path / "prefect"
    me = f"{os.getpid()}:{_start_time(os.getpid())}"
    env = clean_env() | {HOME_ENV: str(home), OWNER_ENV: me}
    other = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "uvicorn"], env=env
    )
    try:
        time.sleep(0.5)
        assert stop_orphans(home) == []
        assert other.poll() is None
        os.kill(other.pid, signal.SIGTERM)
    finally:
        other.kill()
        other.wait()


def test_runs_on_a_fresh_home_create_its_database_one_at_a_time(tmp_path: Path):
    """Concurrent runs raced on creating one fresh SQLite: the first creates it holding
    the home's lock, the others wait for it (here the test holds the lock)."""
    import fcntl
    import select

    home = tmp_path / "data" / "prefect"
    home.mkdir(parents=True)
    with (home / ".plan06-startup.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run is creating the database
        run = subprocess.Popen(
            [sys.executable, "-c", RUN, str(tmp_path / "data")],
            stdout=subprocess.PIPE, text=True, env=clean_env(),
        )  # fmt: skip
        try:
            waited, _, _ = select.select([run.stdout], [], [], 8)
            assert waited == [] and not (home / "prefect.db").exists()  # it waits
            fcntl.flock(lock, fcntl.LOCK_UN)
            _, _, server = run.stdout.readline().split()
        finally:
            run.kill()
            run.wait()
    assert (home / "prefect.db").exists() and (home / ".plan06-ready").exists()
    assert stop_orphans(home) == [int(server)]
