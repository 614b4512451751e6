"""Queue messages in ops.outbox, in the caller's transaction.

The key (plan, period, kind) makes a message idempotent: a rerun with the same
numbers changes nothing; new numbers replace the pending text, or mark a sent
message for an in-place update (its Slack ts is kept), never a second post.
"""

from __future__ import annotations

import json

import duckdb

from tasks.notify.messages import SlackMessage, content_hash


def enqueue(
    con: duckdb.DuckDBPyConnection,
    *,
    plan_id: str,
    period: str,
    kind: str,
    channel: str,
    message: SlackMessage,
) -> bool:
    """Write or refresh the message; True when there is something new to deliver."""
    key = f"{plan_id}:{period}:{kind}"
    digest = content_hash(message)
    row = con.execute("SELECT content_hash FROM ops.outbox WHERE message_key = ?", [key]).fetchone()
    if row is not None and row[0] == digest:
        return False
    blocks = json.dumps(message.blocks, ensure_ascii=False)
    if row is None:
        con.execute(
            "INSERT INTO ops.outbox (message_key, plan_id, period, kind, channel, text, blocks,"
            " content_hash, status, created_at, updated_at) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, 'pending', current_localtimestamp(),"
            " current_localtimestamp())",
            [key, plan_id, period, kind, channel, message.text, blocks, digest],
        )
    else:
        con.execute(
            "UPDATE ops.outbox SET text = ?, blocks = ?, content_hash = ?, channel = ?,"
            " status = 'pending', updated_at = current_localtimestamp() WHERE message_key = ?",
            [message.text, blocks, digest, channel, key],
        )
    return True
