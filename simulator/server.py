"""Run the simulator: blocking (`serve`) or in a background thread (`start_in_thread`).

`start_in_thread` is what tests and the embedded main job use: it binds a
free port itself, so the real URL is known before the server starts, and it
returns only once `/health` answers.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType

import httpx
import uvicorn

from simulator.api import DEFAULT_TOKEN, create_app

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

    def stop(self) -> None:
        """Ask the server to exit and wait for its thread (idempotent)."""
        self._server.should_exit = True
        self._thread.join(timeout=STARTUP_TIMEOUT)

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
) -> SimulatorHandle:
    """Serve the simulator from a daemon thread; port 0 picks a free port."""
    sock = _bind(host, port)
    config = uvicorn.Config(
        create_app(token=token, seed=seed, scale=scale),
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
    handle = SimulatorHandle(_url(host, sock.getsockname()[1]), token, server, thread)
    _wait_until_healthy(handle)
    return handle


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str = DEFAULT_TOKEN,
    seed: int = 0,
    scale: float = 1.0,
) -> None:
    """Serve the simulator in the foreground until interrupted (Ctrl+C)."""
    app = create_app(token=token, seed=seed, scale=scale)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off")


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
