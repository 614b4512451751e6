"""No personal data in anything Slack receives: every payload any FakeSlack got in this
test session (these tests, the thread, load and flow tests that ran before) is scanned
for 9- and 12-digit numbers and for the full names the simulator gives dossier owners.
Named test_zz so it runs after the other notify tests in the same session."""

from __future__ import annotations

import random

from simulator.catalog import load_catalog
from simulator.people import synthetic_person
from tasks.notify.compose.alerts import build_alert
from tasks.notify.compose.messages import build_plan_message
from tasks.notify.deliver.send import deliver_pending, make_client
from tasks.notify.facts.models import DatasetStatus
from tests.fakes.slack import FakeSlack
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


def test_no_payload_of_the_session_carries_personal_data() -> None:
    assert FakeSlack.payloads, "no payload reached a fake Slack in this session"
    leaks = [found for p in FakeSlack.payloads if (found := personal_data(p))]
    assert leaks == []
