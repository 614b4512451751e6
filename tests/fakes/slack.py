"""A fake Slack Web API over real HTTP, for slack-sdk's WebClient(base_url=...).

It answers like Slack (HTTP JSON, `ok`/`error`), enforces the bot token, the
channels the bot may post to, the block limits and one post per second per
channel, and can be scripted to fail: `fake.script(500, 500)` makes the next two
calls answer HTTP 500 whatever they are.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass
class Call:
    """One accepted chat.postMessage / chat.update."""

    method: str
    channel: str
    text: str
    blocks: list[dict[str, Any]]
    ts: str
    at: float = field(default_factory=time.monotonic)  # when the fake received it


class FakeSlack:
    """Start on a free port on 127.0.0.1; `url` ends in /api/ like slack.com/api/."""

    def __init__(
        self,
        token: str = "xoxb-fake-token",
        channels: tuple[str, ...] = ("C0PLAN1",),
        bad_channels: dict[str, str] | None = None,
    ) -> None:
        self.token, self.revoked = token, False
        self.channels = set(channels)
        self.bad_channels = dict(bad_channels or {})  # channel -> error, e.g. "not_in_channel"
        self.posts: list[Call] = []
        self.requests: list[tuple[str, int]] = []  # (method, HTTP status) of every call
        self.messages: dict[str, dict[str, dict[str, Any]]] = {}  # channel -> ts -> message
        self._scripted: deque[tuple[int, dict[str, Any], dict[str, str]]] = deque()
        self._last_post: dict[str, float] = {}
        self._seq, self._lock = 0, threading.Lock()
        app = Starlette(routes=[Route("/api/{method}", self._handle, methods=["GET", "POST"])])
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}/api/"
        # Not the main thread, so uvicorn installs no signal handlers.
        self._thread = threading.Thread(target=self._server.run, args=([sock],), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("fake Slack server did not start")
            time.sleep(0.01)

    def script(self, *statuses: int, retry_after: int = 1) -> None:
        """Queue raw answers for the next calls: 429 (with Retry-After), 500, 503..."""
        for status in statuses:
            error = "ratelimited" if status == 429 else "internal_error"
            headers = {"Retry-After": str(retry_after)} if status == 429 else {}
            self._scripted.append((status, {"ok": False, "error": error}, headers))

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        self._server.should_exit = True
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _handle(self, request: Request) -> JSONResponse:
        method, args = request.path_params["method"], await _args(request)
        with self._lock:
            status, body, headers = self._answer(method, args, request.headers)
            self.requests.append((method, status))
        return JSONResponse(body, status_code=status, headers=headers)

    def _answer(self, method: str, args: dict[str, Any], headers: Any) -> tuple[int, dict, dict]:
        if self._scripted:
            return self._scripted.popleft()
        bearer = headers.get("authorization", "").removeprefix("Bearer ") or args.get("token")
        if bearer != self.token or not bearer.startswith("xoxb-"):
            return _err("invalid_auth")
        if self.revoked:
            return _err("token_revoked")
        if method == "auth.test":
            return 200, {"ok": True, "team_id": "T0FAKE", "user_id": "U0BOT", "bot_id": "B0BOT"}, {}
        if method not in ("chat.postMessage", "chat.update"):
            return _err("unknown_method")
        return self._chat(method, args)

    def _chat(self, method: str, args: dict[str, Any]) -> tuple[int, dict, dict]:
        channel, blocks = args.get("channel", ""), args.get("blocks") or []
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        if channel in self.bad_channels:
            return _err(self.bad_channels[channel])
        if channel not in self.channels:
            return _err("channel_not_found")
        if not _blocks_ok(blocks):
            return _err("invalid_blocks")
        store, now = self.messages.setdefault(channel, {}), time.monotonic()
        if method == "chat.update":
            if args.get("ts") not in store:
                return _err("message_not_found")
            ts = args["ts"]
        elif now - self._last_post.get(channel, float("-inf")) < 1.0:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}
        else:
            self._seq, self._last_post[channel] = self._seq + 1, now
            ts = f"{1700000000 + self._seq}.{self._seq:06d}"
        message = {"type": "message", "text": args.get("text", ""), "blocks": blocks, "ts": ts}
        store[ts] = message
        self.posts.append(Call(method, channel, message["text"], blocks, ts, now))
        return 200, {"ok": True, "channel": channel, "ts": ts, "message": message}, {}


async def _args(request: Request) -> dict[str, Any]:
    """Slack accepts JSON, form and query arguments alike; so does the fake."""
    raw = (await request.body()).decode("utf-8")
    args: dict[str, Any] = dict(request.query_params)
    if raw and "json" in request.headers.get("content-type", ""):
        args.update(json.loads(raw))
    elif raw:
        args.update(parse_qsl(raw))
    return args


def _blocks_ok(blocks: list[dict[str, Any]]) -> bool:
    if len(blocks) > 50:
        return False
    limits = {"section": 3000, "header": 150}
    return all(
        len((b.get("text") or {}).get("text") or "") <= limits.get(b.get("type", ""), 10**6)
        for b in blocks
    )


def _err(error: str) -> tuple[int, dict, dict]:
    return 200, {"ok": False, "error": error}, {}
