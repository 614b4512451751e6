"""Run the simulator: blocking (`serve`) or in a background thread (`start_in_thread`).

`start_in_thread` is what tests and the embedded main job use: it binds a
free port itself, so the real URL is known before the server starts, and it
returns only once `/health` answers.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType

import httpx
import uvicorn

from simulator.api import DEFAULT_TOKEN, create_app
from simulator.drops import write_drops
from simulator.faults import FaultPlan

__all__ = ["DEFAULT_TOKEN", "SimulatorHandle", "create_app", "serve", "start_in_thread"]

STARTUP_TIMEOUT = 10.0


class _ThreadServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the host process."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class SimulatorHandle:
    """A running simulator: where it is, how to authenticate, how to stop it."""

    url: str
    token: str
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    faults: FaultPlan = field(default_factory=FaultPlan)
    drop_root: Path | None = None
    _own_drops: bool = field(default=False, repr=False)

    def stop(self) -> None:
        """Ask the server to exit and wait for its thread (idempotent)."""
        self._server.should_exit = True
        self._thread.join(timeout=STARTUP_TIMEOUT)
        if self._own_drops and self.drop_root is not None:
            shutil.rmtree(self.drop_root, ignore_errors=True)

    def __enter__(self) -> SimulatorHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def start_in_thread(
    host: str = "127.0.0.1",
    port: int = 0,
    token: str = DEFAULT_TOKEN,
    seed: int = 0,
    scale: float = 1.0,
    faults: FaultPlan | None = None,
    drop_root: Path | None = None,
    drop_periods: Sequence[str] | None = None,
) -> SimulatorHandle:
    """Serve the simulator from a daemon thread; port 0 picks a free port.

    File drops are written under `drop_root` (a temporary folder, removed on
    stop, when None) for `drop_periods` (default: the last 13 months)."""
    faults = faults or FaultPlan()
    own = drop_root is None
    root = write_drops(drop_root or Path(tempfile.mkdtemp(prefix="plan06-drops-")),
                       drop_periods or recent_periods(13), seed, scale)  # fmt: skip
    sock = _bind(host, port)
    config = uvicorn.Config(
        create_app(token=token, seed=seed, scale=scale, faults=faults, drop_root=root),
        log_config=None,  # embedded: leave the host's logging configuration alone
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = _ThreadServer(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="plan06-simulator", daemon=True
    )
    thread.start()
    url = _url(host, sock.getsockname()[1])
    handle = SimulatorHandle(url, token, server, thread, faults, root, own)
    _wait_until_healthy(handle)
    return handle


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str = DEFAULT_TOKEN,
    seed: int = 0,
    scale: float = 1.0,
    faults: FaultPlan | None = None,
    drop_root: Path | None = None,
) -> None:
    """Serve the simulator in the foreground until interrupted (Ctrl+C)."""
    if drop_root is not None:
        write_drops(drop_root, recent_periods(13), seed, scale)
    app = create_app(token=token, seed=seed, scale=scale, faults=faults, drop_root=drop_root)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off")


def recent_periods(count: int, today: date | None = None) -> list[str]:
    """The current month and the `count - 1` before it, as YYYY-MM."""
    today = today or date.today()
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def _url(host: str, port: int) -> str:
    # A wildcard address is where we listen, not where a client can connect.
    connect = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{connect}]:{port}" if ":" in connect else f"http://{connect}:{port}"


def _wait_until_healthy(handle: SimulatorHandle) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline and handle._thread.is_alive():
        with contextlib.suppress(httpx.TransportError):
            # trust_env=False: a proxy from the environment must not intercept localhost.
            if httpx.get(f"{handle.url}/health", timeout=1.0, trust_env=False).is_success:
                return
        time.sleep(0.02)
    handle.stop()
    raise RuntimeError(f"simulator did not become healthy at {handle.url}")
