"""Deliver the ops.outbox to Slack, or render it in the terminal (dry run).

Each message is recorded as sent in its own short transaction right after the
API call, so a crash can at worst send one message twice; a failure keeps the
row for the next run. Logs carry message keys and counts only, never content.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
from rich.console import Console
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from tasks.notify.messages import SlackMessage
from tasks.notify.render import render_message

log = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
_TOKEN = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
_FORMAT = {"msg_too_long", "msg_blocks_too_long", "invalid_blocks", "invalid_blocks_format"}
_NOW = "current_localtimestamp()"  # the same clock outbox.enqueue writes created_at with
_PENDING = """SELECT message_key, channel, text, blocks, content_hash, slack_ts FROM ops.outbox
WHERE status IN ('pending', 'failed') ORDER BY created_at, message_key"""


@dataclass
class DeliveryReport:
    """What one drain of the outbox did; errors are action messages for people."""

    sent: int = 0
    updated: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    aborted: bool = False  # True when the token or the network stopped the drain


class _Abort(Exception):
    """Nothing else can get through on this run (bad token, Slack unreachable)."""


def make_client(token: str, base_url: str | None = None) -> WebClient:
    """A WebClient that also retries 429 (honouring Retry-After) and 500/503."""
    url = base_url or SLACK_API_URL
    return WebClient(
        token=token,
        base_url=url if url.endswith("/") else f"{url}/",
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def deliver_pending(
    con: duckdb.DuckDBPyConnection, client: WebClient, min_interval_s: float = 1.1
) -> DeliveryReport:
    """Post (or update, once posted) every pending/failed outbox message, paced per channel."""
    report, pace = DeliveryReport(), _Pacer(min_interval_s)
    for row in con.execute(_PENDING).fetchall():
        with pace(row[1]):
            if not _deliver_one(con, client, row, report):
                break
    log.info("outbox: %d sent, %d updated, %d failed", report.sent, report.updated, report.failed)
    for line in report.errors:
        log.warning("outbox: %s", line)
    return report


def render_pending(con: duckdb.DuckDBPyConnection, console: Console) -> int:
    """Dry run: print every pending/failed message; the rows stay as they are."""
    rows = con.execute(_PENDING).fetchall()
    for _key, channel, text, blocks, *_ in rows:
        render_message(SlackMessage(text=text, blocks=json.loads(blocks)), channel, console)
    return len(rows)


def explain(err: SlackApiError, channel: str) -> str:
    """Turn a Slack error code into what a person should do about it."""
    code, status = err.response.get("error", "unknown"), err.response.status_code
    if code in _TOKEN:
        return f"Slack rejected the bot token ({code}): check SLACK_BOT_TOKEN"
    if code == "not_in_channel":
        return f"invite the bot to channel {channel} (/invite), then rerun"
    if code == "channel_not_found":
        return f"channel {channel} not found: check the plan's slack_channel (private: invite)"
    if code == "is_archived":
        return f"channel {channel} is archived: unarchive it or change the plan's slack_channel"
    if code == "missing_scope":
        return "the bot token lacks the chat:write scope: reinstall the Slack app"
    if code in _FORMAT:
        return f"Slack refused the message format ({code}): a builder bug, the row is kept"
    if code == "ratelimited" or status == 429:
        return f"Slack still rate-limited channel {channel} after retries: retry next run"
    if status >= 500:
        return f"Slack server error HTTP {status} after retries: retry next run"
    return f"Slack error {code} (HTTP {status})"


class _Pacer:
    """Slack allows about one post per second per channel: space calls per channel."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s, self.last = interval_s, dict[str, float]()

    @contextmanager
    def __call__(self, channel: str) -> Iterator[None]:
        wait = self.last.get(channel, float("-inf")) + self.interval_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            yield
        finally:
            self.last[channel] = time.monotonic()


def _deliver_one(
    con: duckdb.DuckDBPyConnection, client: WebClient, row: tuple[Any, ...], report: DeliveryReport
) -> bool:
    """Send one outbox row and record the outcome; False when the drain must stop."""
    key, channel, text, blocks, chash, ts = row
    try:
        new_ts, updated = _send(client, channel, text, json.loads(blocks), ts)
    except _Abort as stop:
        _fail(con, report, key, f"{stop}; drain stopped, other rows kept")
        report.aborted = True
        return False
    except SlackApiError as err:
        _fail(con, report, key, explain(err, channel))
        return True
    _mark_sent(con, key, chash, new_ts)
    report.updated += updated
    report.sent += not updated
    return True


def _send(
    client: WebClient, channel: str, text: str, blocks: list[Any], ts: str | None
) -> tuple[str, bool]:
    """One API call; returns (ts, was_update). Raises _Abort when the drain must stop."""
    try:
        if ts is not None:
            try:
                client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
                return ts, True
            except SlackApiError as err:
                if err.response.get("error") != "message_not_found":
                    raise
                # Someone deleted the root message: post it again rather than lose it.
        resp = client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        return str(resp["ts"]), False
    except SlackApiError as err:
        if err.response.get("error") in _TOKEN:
            raise _Abort(explain(err, channel)) from err
        raise
    except (OSError, SlackClientError) as err:  # URLError and timeouts are OSErrors
        raise _Abort(f"Slack unreachable ({type(err).__name__}): retry next run") from err


def _mark_sent(con: duckdb.DuckDBPyConnection, key: str, chash: str, ts: str) -> None:
    # Keep the ts in any case (later edits must update, not repost), but a row whose
    # content was rewritten while we were posting stays pending for the next run.
    sql = f"""UPDATE ops.outbox SET slack_ts = ?, sent_at = {_NOW}, updated_at = {_NOW},
        status = CASE WHEN content_hash = ? THEN 'sent' ELSE status END,
        attempts = attempts + 1, last_error = NULL WHERE message_key = ?"""
    _write(con, sql, [ts, chash, key])


def _fail(con: duckdb.DuckDBPyConnection, report: DeliveryReport, key: str, reason: str) -> None:
    report.failed += 1
    report.errors.append(f"{key}: {reason}")
    _mark_failed(con, key, reason)


def _mark_failed(con: duckdb.DuckDBPyConnection, key: str, reason: str) -> None:
    sql = f"""UPDATE ops.outbox SET status = 'failed', last_error = ?, updated_at = {_NOW},
        attempts = attempts + 1 WHERE message_key = ?"""
    _write(con, sql, [reason, key])


def _write(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> None:
    con.begin()
    try:
        con.execute(sql, params)
        con.commit()
    except BaseException:
        con.rollback()
        raise
