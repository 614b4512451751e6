"""No personal data in anything Slack receives. Every payload any FakeSlack gets is
scanned, test by test, by the autouse fixture in tests/conftest.py (9- and 12-digit
numbers, the full names the simulator gives dossier owners): these tests check the
scanner and the guard themselves, and pass alone or in any order."""

from __future__ import annotations

import random

import pytest
from slack_sdk.errors import SlackApiError

from simulator.catalog import load_catalog
from simulator.people import synthetic_person
from tasks.notify.compose.alerts import build_alert
from tasks.notify.compose.messages import build_plan_message
from tasks.notify.deliver.send import deliver_pending, make_client
from tasks.notify.facts.models import DatasetStatus
from tests.fakes.pii_guard import PayloadGuard
from tests.fakes.slack_checks import personal_data
from tests.tasks.notify.conftest import digest
from tests.tasks.notify.test_threads import alert


def test_the_scanner_finds_ids_and_names() -> None:
    name, cccd = synthetic_person(random.Random(1), load_catalog().names, {"079": 1.0})
    assert set(personal_data(f"chủ hồ sơ {name}, CCCD {cccd}")) == {name, cccd}
    assert personal_data("12.345 hồ sơ · <http://x/123456789012|link>") == []


def test_leaky_inputs_are_scrubbed_before_slack(outbox, enqueue, fake) -> None:
    name, cccd = synthetic_person(random.Random(2), load_catalog().names, {"079": 1.0})
    leaky = DatasetStatus(
        dataset="dossiers",
        status="published",
        rows_in=1,
        rows_published=1,
        rows_quarantined=1,
        top_reasons=[(f"CCCD {cccd} sai", 1)],
    )
    d = digest(datasets=[leaky], plan_name=f"Kế hoạch {cccd}")
    enqueue("C0PLAN1", build_plan_message(d))
    enqueue("C0PLAN2", build_alert(alert("failed", reasons=[f"bad row {cccd} {cccd[:9]}"])))
    report = deliver_pending(outbox, make_client(fake.token, fake.url))
    assert report.sent == 2 and not fake.violations
    assert name not in str(fake.posts)


def test_the_guard_catches_a_leak_whatever_ran_before(fake) -> None:
    """What the autouse guard would fail a test with: a leak the fake received."""
    name, cccd = synthetic_person(random.Random(3), load_catalog().names, {"079": 1.0})
    PayloadGuard.new_leaks()  # whatever earlier tests sent was theirs to answer for
    client = make_client(fake.token, fake.url)
    with pytest.raises(SlackApiError, match="personal_data_refused_by_fake"):
        client.chat_postMessage(channel="C0PLAN1", text=f"hồ sơ của {name}, CCCD {cccd}")
    assert set(PayloadGuard.new_leaks()) == {name, cccd}  # found, and consumed here
    assert PayloadGuard.new_leaks() == []
