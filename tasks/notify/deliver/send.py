"""Deliver the ops.outbox to Slack, or render it in the terminal (dry run).

Channels are drained in parallel, each channel's rows in order (a root before
its replies) and paced to one call per `min_interval_s`. Each outcome is
recorded in its own short transaction right after the API call: the ts first,
so an update or a reply finds its thread and a retry never posts twice. A
failure keeps the row for the next run. Logs carry keys and counts, not content.
"""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import groupby

import duckdb
from rich.console import Console
from slack_sdk import WebClient

from tasks.notify.compose.slack_text import SlackMessage
from tasks.notify.deliver.delivery_row import Connect, Drain, Row, held
from tasks.notify.deliver.slack_api import explain, make_client
from tasks.notify.render.terminal import render_message

__all__ = ["DeliveryReport", "deliver_pending", "explain", "make_client", "render_pending"]
log = logging.getLogger(__name__)

PENDING_SQL = """
SELECT o.message_key, o.channel, o.text, o.blocks, o.content_hash, o.sent_hash, o.slack_ts,
       o.thread_key, coalesce(o.reply_broadcast, false), o.file_name, o.file_bytes, o.file_id,
       r.message_key IS NOT NULL, r.slack_ts
FROM ops.outbox AS o LEFT JOIN ops.outbox AS r ON r.message_key = o.thread_key
WHERE o.status IN ('pending', 'failed') ORDER BY o.channel, o.created_at, o.message_key
"""


@dataclass
class DeliveryReport:
    """What one drain of the outbox did; errors are action messages for people."""

    sent: int = 0
    updated: int = 0
    failed: int = 0
    files: int = 0
    unchanged: int = 0  # rewritten with what Slack already shows: no call made
    waiting: int = 0  # replies whose thread root is not in Slack yet
    errors: list[str] = field(default_factory=list)
    aborted: bool = False  # True when the token or the network stopped the drain


def deliver_pending(
    con: duckdb.DuckDBPyConnection | Connect,
    client: WebClient,
    min_interval_s: float = 1.1,
    workers: int = 8,
) -> DeliveryReport:
    """Post, update or upload every pending/failed outbox row, channels in parallel.

    `con` is an open connection, or a function that opens one for a block: the
    flows pass the latter, so no connection (and on the single DuckDB file, no
    lock) is held while Slack answers."""
    connect = held(con) if isinstance(con, duckdb.DuckDBPyConnection) else con
    with connect() as reading:
        rows = [Row.from_db(r) for r in reading.execute(PENDING_SQL).fetchall()]
    by_channel = [list(g) for _, g in groupby(rows, key=lambda r: r.channel)]
    report = DeliveryReport()
    drain = Drain(connect, client, report, min_interval_s, threading.Lock(), threading.Event())
    if by_channel:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(by_channel)))) as pool:
            list(pool.map(drain.channel, by_channel))
    report.aborted = drain.stop.is_set()
    log.info(
        "outbox: %d sent, %d updated, %d files, %d failed",
        report.sent,
        report.updated,
        report.files,
        report.failed,
    )
    for line in report.errors:
        log.warning("outbox: %s", line)
    return report


def render_pending(con: duckdb.DuckDBPyConnection, console: Console) -> int:
    """Dry run: print every pending/failed message; the rows stay as they are."""
    rows = con.execute(PENDING_SQL).fetchall()
    for row in rows:
        message = SlackMessage(text=row[2], blocks=json.loads(row[3]))
        where = f"{row[1]} (thread of {row[7]})" if row[7] else row[1]
        render_message(message, where, console, file_name=row[9])
    return len(rows)
