"""Queue messages in ops.outbox, in the caller's transaction.

A message's key makes it idempotent: the plan thread's root is
'<plan>:<period>:plan_status', its replies '<root>:reply:<n>', alerts
'<plan>:<period>:alert:<what>[:<dataset>]'. A rerun with the same content
changes nothing; new content replaces a pending text, or marks a sent message
for an in-place update (its Slack ts is kept), never a second post.
"""

from __future__ import annotations

import json

import duckdb

from tasks.notify.compose.alerts import alert_key, build_alert
from tasks.notify.compose.messages import build_plan_message
from tasks.notify.compose.replies import build_reply, changes, thread_state
from tasks.notify.compose.slack_text import SlackMessage, content_hash
from tasks.notify.facts.models import Alert, PlanDigest

_NOW = "current_localtimestamp()"


def root_key(plan_id: str, period: str) -> str:
    return f"{plan_id}:{period}:plan_status"


def enqueue(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_id: str,
    period: str,
    kind: str,
    channel: str,
    message: SlackMessage,
    key: str | None = None,
    thread_key: str | None = None,
    broadcast: bool = False,
    state: object | None = None,
    file: tuple[str, bytes] | None = None,
) -> bool:
    """Write or refresh the message; True when there is something new to deliver."""
    key = key or f"{plan_id}:{period}:{kind}"
    digest = content_hash(message)
    row = con.execute("SELECT content_hash FROM ops.outbox WHERE message_key = ?", [key]).fetchone()
    if row is not None and row[0] == digest:
        return False
    blocks, state_json = json.dumps(message.blocks, ensure_ascii=False), json.dumps(state)
    name, data = file or (None, None)
    if row is None:
        con.execute(
            "INSERT INTO ops.outbox (message_key, plan_id, period, kind, channel, text, blocks,"
            " content_hash, status, created_at, updated_at, thread_key, reply_broadcast, state,"
            f" file_name, file_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', {_NOW}, {_NOW},"
            " ?, ?, ?, ?, ?)",
            [
                key,
                plan_id,
                period,
                kind,
                channel,
                message.text,
                blocks,
                digest,
                thread_key,
                broadcast,
                state_json,
                name,
                data,
            ],
        )
        return True
    con.execute(
        "UPDATE ops.outbox SET text = ?, blocks = ?, content_hash = ?, channel = ?, state = ?,"
        f" status = 'pending', updated_at = {_NOW},"
        " file_id = CASE WHEN file_bytes IS NOT DISTINCT FROM ? THEN file_id END,"
        " file_name = ?, file_bytes = ? WHERE message_key = ?",
        [message.text, blocks, digest, channel, state_json, data, name, data, key],
    )
    return True


def enqueue_plan_thread(
    con: duckdb.DuckDBPyConnection, digest: PlanDigest, channel: str, lang: str = "vi"
) -> bool:
    """The root of (plan, period), plus a reply when a posted root's state changed."""
    key, new = root_key(digest.plan_id, digest.period), thread_state(digest)
    row = con.execute(
        "SELECT state, slack_ts FROM ops.outbox WHERE message_key = ?", [key]
    ).fetchone()
    moved = changes(json.loads(row[0]) or {}, new) if row and row[0] and row[1] else []
    queued = enqueue(
        con,
        plan_id=digest.plan_id,
        period=digest.period,
        kind="plan_status",
        channel=channel,
        message=build_plan_message(digest, lang),
        state=new,
    )
    if moved:
        (n,) = con.execute(
            "SELECT count(*) FROM ops.outbox WHERE thread_key = ? AND kind = 'reply'", [key]
        ).fetchone()
        enqueue(
            con,
            plan_id=digest.plan_id,
            period=digest.period,
            kind="reply",
            channel=channel,
            message=build_reply(digest, moved, lang),
            key=f"{key}:reply:{n + 1}",
            thread_key=key,
        )
    return queued or bool(moved)


def enqueue_alert(
    con: duckdb.DuckDBPyConnection, alert: Alert, channel: str, lang: str = "vi"
) -> bool:
    """The alert once, as a reply in the plan thread broadcast to the channel."""
    return enqueue(
        con,
        plan_id=alert.plan_id,
        period=alert.period,
        kind=f"alert_{alert.what}",
        channel=channel,
        message=build_alert(alert, lang),
        key=alert_key(alert),
        thread_key=root_key(alert.plan_id, alert.period),
        broadcast=True,
    )
