"""Two drains of the outbox at once (two runs ending together on two workers)
send each message once: the second waits for the first, then finds nothing left."""

from __future__ import annotations

import threading

import pytest

from flows.delivery import drain, queue_run_alert
from tasks.settings import load_settings
from tests.fakes.slack import FakeSlack
from warehouse.db import open_warehouse

PLAN = "binh-duong-cu-tru-dat-dai"
TOKEN = "xoxb-drains-token"
PERIODS = ("2026-07", "2026-08", "2026-09", "2026-10")


def test_two_drains_at_once_post_each_message_once(tmp_path, monkeypatch: pytest.MonkeyPatch):
    open_warehouse(tmp_path / "plan06.duckdb").close()  # migrated, as `plan06 setup` leaves it
    with FakeSlack(token=TOKEN, channels=("C07BDKHPH06",)) as slack:
        for name, value in {
            "PLAN06_DATA_DIR": str(tmp_path),
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_API_URL": slack.url,
        }.items():
            monkeypatch.setenv(name, value)
        settings = load_settings()
        for period in PERIODS:  # one channel: paced 1.1 s apart, so a drain lasts seconds
            queue_run_alert(settings, PLAN, period, "failed", "HTTP 503", None)
        drains = [threading.Thread(target=drain, args=(settings,)) for _ in range(2)]
        for thread in drains:
            thread.start()
        for thread in drains:
            thread.join(timeout=120)
        posted = [p for p in slack.posts if p.method == "chat.postMessage"]
    assert len(posted) == len(PERIODS)
    assert len({p.text for p in posted}) == len(PERIODS)  # each period's alert, once
