"""One channel's drain: post, update, reply in thread, upload, and record each outcome."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import duckdb
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tasks.notify.deliver import slack_api

_NOW = "current_localtimestamp()"
# Opens the warehouse for one block (flows.store.writer), or lends an open connection.
Connect = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


def held(con: duckdb.DuckDBPyConnection) -> Connect:
    """A Connect that lends `con` (left open): for callers that hold one already."""
    return lambda: nullcontext(con)


_LAST_CALL: dict[tuple[str, str], float] = {}  # (API url, channel) -> monotonic time
_PACE_LOCK = threading.Lock()


@dataclass
class Row:
    key: str
    channel: str
    text: str
    blocks: list[Any]
    content_hash: str
    sent_hash: str | None
    ts: str | None
    thread_key: str | None
    broadcast: bool
    file_name: str | None
    file_bytes: bytes | None
    file_id: str | None
    has_root: bool
    root_ts: str | None

    @classmethod
    def from_db(cls, r: tuple[Any, ...]) -> Row:
        return cls(r[0], r[1], r[2], json.loads(r[3]), *r[4:])


@dataclass
class Drain:
    connect: Connect
    client: WebClient
    report: Any  # send.DeliveryReport
    interval_s: float
    db_lock: threading.Lock
    stop: threading.Event

    def channel(self, rows: list[Row]) -> None:
        """Deliver one channel's rows in order; roots posted here give their ts to replies."""
        roots: dict[str, str | None] = {}
        for row in rows:
            if self.stop.is_set():
                return
            if row.thread_key in roots:
                row.root_ts, row.has_root = roots[row.thread_key], True
            try:
                roots[row.key] = self._one(row)
            except slack_api.Abort as err:
                self.stop.set()
                self._failed(row, f"{err}; drain stopped, other rows kept")
            except SlackApiError as err:
                roots[row.key] = None
                self._failed(row, slack_api.explain(err, row.channel))

    def _one(self, row: Row) -> str | None:
        if row.thread_key and row.has_root and not row.root_ts:
            self._count("waiting")  # its root failed or is not posted: next run
            return None
        ts = row.ts
        if ts and row.content_hash != row.sent_hash:
            with self._pace(row.channel):
                updated = slack_api.update(self.client, row.channel, ts, row.text, row.blocks)
            if updated:
                self._count("updated")
            else:
                ts = None  # someone deleted the message in Slack: post it again
        elif ts:
            self._count("unchanged")
        if not ts:
            thread_ts = row.root_ts if row.thread_key else None
            with self._pace(row.channel):
                ts = slack_api.post(
                    self.client, row.channel, row.text, row.blocks, thread_ts, row.broadcast
                )
            self._write(
                "slack_ts = ?, sent_hash = ?, sent_at = " + _NOW, [ts, row.content_hash], row.key
            )
            self._count("sent")
        if row.file_bytes and not row.file_id:
            with self._pace(row.channel):
                file_id = slack_api.upload(
                    self.client, row.channel, ts, row.file_name or "chart.png", row.file_bytes
                )
            self._write("file_id = ?", [file_id], row.key)
            self._count("files")
        self._write(
            "status = CASE WHEN content_hash = ? THEN 'sent' ELSE status END, sent_hash = ?,"
            " slack_ts = ?, attempts = attempts + 1, last_error = NULL",
            [row.content_hash, row.content_hash, ts],
            row.key,
        )
        return ts

    def _failed(self, row: Row, reason: str) -> None:
        with self.db_lock:
            self.report.failed += 1
            self.report.errors.append(f"{row.key}: {reason}")
        self._write("status = 'failed', last_error = ?, attempts = attempts + 1", [reason], row.key)

    def _count(self, what: str) -> None:
        with self.db_lock:
            setattr(self.report, what, getattr(self.report, what) + 1)

    def _write(self, assignments: str, params: list[Any], key: str) -> None:
        sql = f"UPDATE ops.outbox SET {assignments}, updated_at = {_NOW} WHERE message_key = ?"
        with self.db_lock, self.connect() as con:
            con.begin()
            try:
                con.execute(sql, [*params, key])
                con.commit()
            except BaseException:
                con.rollback()
                raise

    @contextmanager
    def _pace(self, channel: str) -> Iterator[None]:
        """About one call per second per channel, counted from the end of the last call:
        a slow answer must not let the next call arrive less than a second after it."""
        slot = (self.client.base_url, channel)
        with _PACE_LOCK:
            wait = _LAST_CALL.get(slot, float("-inf")) + self.interval_s - time.monotonic()
        time.sleep(max(0.0, wait))
        try:
            yield
        finally:
            with _PACE_LOCK:
                _LAST_CALL[slot] = time.monotonic()
