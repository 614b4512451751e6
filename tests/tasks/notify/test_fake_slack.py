"""The fake itself answers like Slack, so the delivery tests mean something."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from tasks.notify.deliver.send import make_client
from tests.fakes.slack import FakeSlack


def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as info:
        call()  # type: ignore[operator]
    return info.value.response["error"]


def test_fake_answers_like_slack(fake: FakeSlack) -> None:
    client = make_client(fake.token, fake.url)
    assert client.auth_test(foo="bar")["bot_id"] == "B0BOT"  # form body
    assert error_of(lambda: make_client("xoxb-nope", fake.url).auth_test()) == "invalid_auth"
    assert error_of(lambda: client.chat_postMessage(channel="C0NOPE", text="x")) == (
        "channel_not_found"
    )
    assert error_of(lambda: client.chat_update(channel="C0PLAN1", ts="1.2", text="x")) == (
        "message_not_found"
    )
    big = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    assert error_of(lambda: client.chat_postMessage(channel="C0PLAN1", text="x", blocks=big)) == (
        "invalid_blocks"
    )
    resp = client.chat_postMessage(channel="C0PLAN1", text="x")
    assert resp["ok"] and resp["message"]["ts"] == resp["ts"] == fake.posts[0].ts


def test_fake_limits_posts_per_channel(fake: FakeSlack) -> None:
    client = make_client(fake.token, fake.url)
    client.chat_postMessage(channel="C0PLAN1", text="a")
    client.chat_postMessage(channel="C0PLAN2", text="b")  # another channel: no wait
    client.chat_postMessage(channel="C0PLAN1", text="c")  # 429, retried after Retry-After
    assert [s for _, s in fake.requests] == [200, 200, 429, 200]
    assert fake.posts[2].at - fake.posts[0].at >= 1.0
