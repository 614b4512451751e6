"""Delivery over real HTTP against FakeSlack: once, paced, retried, never lost."""

from __future__ import annotations

import json
import logging
import socket
import time

import duckdb
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from tasks.notify.compose.messages import SlackMessage, build_plan_message, content_hash
from tasks.notify.deliver.send import deliver_pending, explain, make_client
from tests.fakes.slack import FakeSlack
from tests.tasks.notify.conftest import Enqueue, digest, kpi, row


def client_for(fake: FakeSlack, token: str | None = None) -> WebClient:
    return make_client(token or fake.token, fake.url)


def test_post_then_update_in_place(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue, fake: FakeSlack, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="tasks.notify.deliver.send")
    key = enqueue("C0PLAN1")
    report = deliver_pending(outbox, client_for(fake))
    assert (report.sent, report.updated, report.failed) == (1, 0, 0)
    first = row(outbox, key)
    assert first["status"] == "sent" and first["attempts"] == 1 and first["sent_at"]
    assert first["slack_ts"] == fake.posts[0].ts

    # The lead rewrites a sent message: same key, new content, back to pending.
    new = build_plan_message(digest([kpi(current=0.75)]))
    outbox.execute(
        "UPDATE ops.outbox SET text = ?, blocks = ?, content_hash = ?, status = 'pending'"
        " WHERE message_key = ?",
        [new.text, json.dumps(new.blocks), content_hash(new), key],
    )
    report = deliver_pending(outbox, client_for(fake))
    assert (report.sent, report.updated) == (0, 1)
    assert [p.method for p in fake.posts] == ["chat.postMessage", "chat.update"]
    assert fake.posts[1].ts == first["slack_ts"]
    assert len(fake.messages["C0PLAN1"]) == 1
    assert "75,0%" in fake.messages["C0PLAN1"][first["slack_ts"]]["text"]
    assert row(outbox, key)["status"] == "sent"
    assert "1 updated" in caplog.text and "75,0%" not in caplog.text  # counts, not content

    again = deliver_pending(outbox, client_for(fake))  # a rerun delivers nothing twice
    assert (again.sent, again.updated, again.failed) == (0, 0, 0)
    assert len(fake.posts) == 2


def test_rate_limit_is_honoured(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue, fake: FakeSlack
) -> None:
    enqueue("C0PLAN1")
    fake.script(429, retry_after=1)
    started = time.monotonic()
    report = deliver_pending(outbox, client_for(fake))
    assert report.sent == 1
    assert time.monotonic() - started >= 1.0
    assert fake.requests == [("chat.postMessage", 429), ("chat.postMessage", 200)]
    assert len(fake.posts) == 1


def test_server_errors_are_retried(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue, fake: FakeSlack
) -> None:
    key = enqueue("C0PLAN1")
    fake.script(500, 503)
    assert deliver_pending(outbox, client_for(fake)).sent == 1
    assert [s for _, s in fake.requests] == [500, 503, 200]
    assert len(fake.posts) == 1 and row(outbox, key)["status"] == "sent"


@pytest.mark.parametrize("break_token", ["revoke", "wrong"])
def test_bad_token_stops_the_drain_and_keeps_rows(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue, fake: FakeSlack, break_token: str
) -> None:
    keys = [enqueue("C0PLAN1"), enqueue("C0PLAN2"), enqueue("C0PLAN2")]
    fake.revoked = break_token == "revoke"
    report = deliver_pending(
        outbox, client_for(fake, "xoxb-wrong" if break_token == "wrong" else None)
    )
    # Channels drain in parallel: at most the one call in flight per channel fails.
    assert report.aborted and report.sent == 0 and 1 <= report.failed <= 2
    assert len(fake.requests) == report.failed and not fake.posts
    rows = [row(outbox, k) for k in keys]
    failed = [r for r in rows if r["status"] == "failed"]
    assert len(failed) == report.failed
    assert all("check SLACK_BOT_TOKEN" in r["last_error"] for r in failed)
    assert all(r["status"] == "pending" and r["attempts"] == 0 for r in rows if r not in failed)
    assert rows[2]["status"] == "pending"  # the second row of C0PLAN2 was never tried


def test_not_in_channel_is_kept_then_delivered_once_fixed(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue
) -> None:
    with FakeSlack(channels=("C0PLAN1",), bad_channels={"C0BAD": "not_in_channel"}) as fake:
        bad, good = enqueue("C0BAD"), enqueue("C0PLAN1")
        report = deliver_pending(outbox, client_for(fake))
        assert (report.sent, report.failed, report.aborted) == (1, 1, False)
        failed = row(outbox, bad)
        assert failed["status"] == "failed" and failed["slack_ts"] is None
        assert "invite the bot to channel C0BAD" in failed["last_error"]
        assert row(outbox, good)["status"] == "sent"

        del fake.bad_channels["C0BAD"]  # someone invited the bot
        fake.channels.add("C0BAD")
        report = deliver_pending(outbox, client_for(fake))
        assert (report.sent, report.failed) == (1, 0)
        fixed = row(outbox, bad)
        assert fixed["status"] == "sent" and fixed["last_error"] is None and fixed["attempts"] == 2
        assert [p.channel for p in fake.posts] == ["C0PLAN1", "C0BAD"]


def test_posts_to_one_channel_are_paced(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue, fake: FakeSlack
) -> None:
    enqueue("C0PLAN1"), enqueue("C0PLAN2"), enqueue("C0PLAN1")
    assert deliver_pending(outbox, client_for(fake)).sent == 3
    times = [p.at for p in fake.posts if p.channel == "C0PLAN1"]
    assert times[1] - times[0] >= 1.0
    assert all(status == 200 for _, status in fake.requests)  # never hit the fake's limit


def test_deleted_root_message_is_posted_again(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue, fake: FakeSlack
) -> None:
    key = enqueue("C0PLAN1")
    outbox.execute("UPDATE ops.outbox SET slack_ts = '1699999999.000001'")
    report = deliver_pending(outbox, client_for(fake))
    assert report.sent == 1 and row(outbox, key)["slack_ts"] == fake.posts[0].ts


def test_bad_blocks_fail_alone(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue, fake: FakeSlack
) -> None:
    too_many = SlackMessage(text="x", blocks=[{"type": "divider"}] * 51)
    bad, good = enqueue("C0PLAN1", too_many), enqueue("C0PLAN2")
    report = deliver_pending(outbox, client_for(fake))
    assert (report.sent, report.failed) == (1, 1)
    assert "invalid_blocks" in row(outbox, bad)["last_error"]
    assert row(outbox, good)["status"] == "sent"


def test_unreachable_slack_stops_the_drain(
    outbox: duckdb.DuckDBPyConnection, enqueue: Enqueue
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/api/"
    keys = [enqueue("C0PLAN1"), enqueue("C0PLAN2")]
    report = deliver_pending(outbox, make_client("xoxb-x", url), workers=1)
    assert report.aborted and "unreachable" in row(outbox, keys[0])["last_error"]
    assert row(outbox, keys[1])["status"] == "pending"


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("not_in_channel", 200, "invite the bot to channel C1"),
        ("channel_not_found", 200, "channel C1 not found"),
        ("is_archived", 200, "archived"),
        ("token_revoked", 200, "check SLACK_BOT_TOKEN"),
        ("account_inactive", 200, "check SLACK_BOT_TOKEN"),
        ("msg_too_long", 200, "message format"),
        ("ratelimited", 429, "rate-limited"),
        ("internal_error", 503, "server error HTTP 503"),
    ],
)
def test_errors_are_explained(code: str, status: int, expected: str) -> None:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="u",
        req_args={},
        data={"ok": False, "error": code},
        headers={},
        status_code=status,
    )
    assert expected in explain(SlackApiError("failed", response), "C1")


def test_make_client_defaults() -> None:
    client = make_client("xoxb-x")
    assert client.base_url == "https://slack.com/api/" and client.timeout == 15
    assert make_client("xoxb-x", "http://127.0.0.1:1/api").base_url.endswith("/api/")
    assert len(client.retry_handlers) == 3


def test_with_the_real_outbox_writer(outbox: duckdb.DuckDBPyConnection, fake: FakeSlack) -> None:
    from tasks.notify.outbox.store import enqueue as queue

    def put(current: float) -> bool:
        message = build_plan_message(digest([kpi(current=current)]))
        return queue(
            outbox,
            plan_id="bd",
            period="2026-10",
            kind="plan_status",
            channel="C0PLAN1",
            message=message,
        )

    assert put(0.72)
    assert deliver_pending(outbox, client_for(fake)).sent == 1
    assert not put(0.72)  # same numbers: nothing new to deliver
    assert put(0.80)
    assert deliver_pending(outbox, client_for(fake)).updated == 1
    assert [p.method for p in fake.posts] == ["chat.postMessage", "chat.update"]
    assert row(outbox, "bd:2026-10:plan_status")["status"] == "sent"
