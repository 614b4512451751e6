"""A fake Slack Web API over real HTTP, for slack-sdk's WebClient(base_url=...).

It answers like Slack (HTTP JSON, `ok`/`error`): the bot token and its scopes
(chat:write, files:write), the channels the bot may post to and their errors
(`bad_channels`: not_in_channel, is_archived...), threads (`thread_ts`,
`reply_broadcast`), chat.update, files_upload_v2's three steps
(files.getUploadURLExternal, the upload URL, files.completeUploadExternal), the
block and text limits and one post per second per channel. It refuses any
payload with personal data (`violations`), and can fail on purpose:
`script(500, 503, 429)` answers the next calls so; `fault_rate` answers a
seeded share of calls with 429/500/503 before doing anything.
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, ClassVar

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.slack_checks import MAX_TEXT, blocks_ok, personal_data
from tests.fakes.slack_files import FilesMixin, args_of

Answer = tuple[int, dict[str, Any], dict[str, str]]
_CONTENT = ("text", "blocks", "title", "initial_comment", "filename", "files", "alt_txt")


@dataclass
class Call:
    """One accepted post, update or file share."""

    method: str
    channel: str
    text: str
    blocks: list[dict[str, Any]]
    ts: str
    thread_ts: str | None = None
    broadcast: bool = False
    at: float = field(default_factory=time.monotonic)  # when the fake received it


class FakeSlack(FilesMixin):
    """Start on a free port on 127.0.0.1; `url` ends in /api/ like slack.com/api/."""

    payloads: ClassVar[list[str]] = []  # every content payload any fake received

    def __init__(
        self,
        token: str = "xoxb-fake-token",
        channels: tuple[str, ...] = ("C0PLAN1",),
        bad_channels: dict[str, str] | None = None,
        scopes: tuple[str, ...] = ("chat:write", "files:write"),
        fault_rate: float = 0.0,
        seed: int = 6,
    ) -> None:
        self.token, self.revoked, self.scopes = token, False, set(scopes)
        self.channels = set(channels)
        self.bad_channels = dict(bad_channels or {})  # channel -> error, e.g. "not_in_channel"
        self.posts: list[Call] = []
        self.requests: list[tuple[str, int]] = []  # (method, HTTP status) of every call
        self.messages: dict[str, dict[str, dict[str, Any]]] = {}  # channel -> ts -> message
        self.violations: list[str] = []
        self.fault_rate, self._rng = fault_rate, random.Random(seed)
        self.injected = 0  # faults answered on purpose (fault_rate)
        self.limited = 0  # posts refused for coming less than 1 s after the last one
        self._scripted: deque[Answer] = deque()
        self._last_post: dict[str, float] = {}
        self._seq, self._lock = 0, threading.Lock()
        FilesMixin.__init__(self)
        routes = [
            Route("/api/{method}", self._handle, methods=["GET", "POST"]),
            Route("/upload/{file_id}", self._upload, methods=["POST"]),
        ]
        app = Starlette(routes=routes)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.url = f"{self.base}/api/"
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
            self._scripted.append(_failure(status, retry_after))

    def thread(self, channel: str, ts: str) -> list[Call]:
        """The replies posted in the thread of `ts`, in order."""
        return [p for p in self.posts if p.channel == channel and p.thread_ts == ts]

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        self._server.should_exit = True
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _handle(self, request: Request) -> Response:
        method, args = request.path_params["method"], await args_of(request)
        with self._lock:
            status, body, headers = self._answer(method, args, request.headers)
            self.requests.append((method, status))
        return JSONResponse(body, status_code=status, headers=headers)

    async def _upload(self, request: Request) -> Response:
        data = await request.body()
        with self._lock:
            ok = self.receive_file(request.path_params["file_id"], data)
        return PlainTextResponse(f"OK - {len(data)}" if ok else "bad upload", 200 if ok else 400)

    def _answer(self, method: str, args: dict[str, Any], headers: Any) -> Answer:
        if self._scripted:
            return self._scripted.popleft()
        if self.fault_rate and self._rng.random() < self.fault_rate:
            self.injected += 1
            return _failure(self._rng.choice((429, 500, 503)), 1)
        bearer = headers.get("authorization", "").removeprefix("Bearer ") or args.get("token")
        if bearer != self.token or not bearer.startswith("xoxb-"):
            return _err("invalid_auth")
        if self.revoked:
            return _err("token_revoked")
        if leaked := self._scan(args):
            return _err("personal_data_refused_by_fake", leaked=leaked)
        if method == "auth.test":
            return 200, {"ok": True, "team_id": "T0FAKE", "user_id": "U0BOT", "bot_id": "B0BOT"}, {}
        needed = "files:write" if method.startswith("files.") else "chat:write"
        if needed not in self.scopes:
            return _err("missing_scope", needed=needed)
        if method in ("chat.postMessage", "chat.update"):
            return self._chat(method, args)
        if method == "files.getUploadURLExternal":
            return self.upload_url(args)
        if method == "files.completeUploadExternal":
            return self.complete_upload(args)
        return _err("unknown_method")

    def _scan(self, args: dict[str, Any]) -> list[str]:
        content = json.dumps({k: args[k] for k in _CONTENT if k in args}, ensure_ascii=False)
        FakeSlack.payloads.append(content)
        leaked = personal_data(content)
        self.violations += leaked
        return leaked

    def channel_error(self, channel: str) -> Answer | None:
        if channel in self.bad_channels:
            return _err(self.bad_channels[channel])
        return None if channel in self.channels else _err("channel_not_found")

    def _chat(self, method: str, args: dict[str, Any]) -> Answer:
        channel, blocks = args.get("channel", ""), args.get("blocks") or []
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        if error := self.channel_error(channel):
            return error
        if not blocks_ok(blocks):
            return _err("invalid_blocks")
        if len(args.get("text") or "") > MAX_TEXT:
            return _err("msg_too_long")
        if not args.get("text"):
            return _err("no_text")  # we always send a plain-text fallback
        store, thread_ts = self.messages.setdefault(channel, {}), args.get("thread_ts")
        if method == "chat.update":
            if args.get("ts") not in store:
                return _err("message_not_found")
            ts = args["ts"]
            thread_ts = store[ts].get("thread_ts")
        else:
            if thread_ts and thread_ts not in store:
                return _err("thread_not_found")
            if not (ts := self.new_ts(channel)):
                self.limited += 1
                return _failure(429, 1)
        broadcast = str(args.get("reply_broadcast", "")).lower() in ("true", "1")
        message = {
            "type": "message",
            "text": args["text"],
            "blocks": blocks,
            "ts": ts,
            "thread_ts": thread_ts,
        }
        store[ts] = message
        self.posts.append(Call(method, channel, args["text"], blocks, ts, thread_ts, broadcast))
        return 200, {"ok": True, "channel": channel, "ts": ts, "message": message}, {}

    def new_ts(self, channel: str) -> str | None:
        """A new message ts, or None when the channel had a post less than 1 s ago."""
        now = time.monotonic()
        if now - self._last_post.get(channel, float("-inf")) < 1.0:
            return None
        self._seq, self._last_post[channel] = self._seq + 1, now
        return f"{1700000000 + self._seq}.{self._seq:06d}"


def _failure(status: int, retry_after: int) -> Answer:
    error = "ratelimited" if status == 429 else "internal_error"
    headers = {"Retry-After": str(retry_after)} if status == 429 else {}
    return status, {"ok": False, "error": error}, headers


def _err(error: str, **extra: Any) -> Answer:
    return 200, {"ok": False, "error": error, **extra}, {}
