"""Every text that reaches Slack is escaped: a plan name, a unit or task group
name, a dataset, a reason or a period holding `<!channel> & <@U123>` arrives as
text, never as a mention; the links and user-group mentions we build still work."""

from __future__ import annotations

import json
import re

import pytest

from tasks.notify.compose.alerts import build_alert
from tasks.notify.compose.leads import build_leads_digest
from tasks.notify.compose.messages import SlackMessage, build_plan_message
from tasks.notify.compose.replies import build_reply
from tasks.notify.facts.models import Alert, DatasetStatus, LeadsDigest, PlanStanding, TaskGroup
from tasks.notify.outbox.store import enqueue_alert
from tests.tasks.notify.conftest import digest, kpi

HOSTILE = "<!channel> & <@U123>"
ESCAPED = "&lt;!channel&gt; &amp; &lt;@U123&gt;"
RUN = "http://127.0.0.1:4200/runs/flow-run/abc-def"
REPORT = "https://reports.example/datadocs/x.html"
# what we put between < and > on purpose: our links and a task group's user group
OURS = re.compile(r"<(https?://[^|<>\s]+\|[^<>]*|!subteam\^[A-Z0-9]+)>")
GROUPS = [
    TaskGroup(id="tg-a", name=HOSTILE, slack_channel="C0PLAN1", slack_usergroup_id="S0CUTRU"),
    TaskGroup(id="tg-b", name=HOSTILE, slack_channel="C0PLAN1"),
]


def mrkdwn(msg: SlackMessage) -> list[str]:
    """The texts Slack parses: the fallback (it notifies) and every mrkdwn element."""
    found = [msg.text]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(msg.blocks)
    return found


def assert_escaped(msg: SlackMessage) -> None:
    texts = mrkdwn(msg)
    for text in texts:
        stray = OURS.sub("", text)
        assert "<" not in stray and ">" not in stray, text
    assert any(ESCAPED in t for t in texts), texts
    assert all(HOSTILE not in t for t in texts)


def hostile_digest():
    datasets = [
        DatasetStatus(dataset=HOSTILE, status=HOSTILE, rows_in=5, rows_published=4,
                      rows_quarantined=1, top_reasons=[(HOSTILE, 1)], report_url=REPORT),
        DatasetStatus(dataset="land_parcels", status="missing", rows_in=0, rows_published=0,
                      rows_quarantined=0),
    ]  # fmt: skip
    kpis = [kpi(label_vi=HOSTILE, label_en=HOSTILE, task_group_id="tg-a")]
    return digest(kpis, plan_name=HOSTILE, partner_name=HOSTILE, datasets=datasets,
                  task_groups=GROUPS, flow_run_url=RUN)  # fmt: skip


def alert(what: str, **extra: object) -> Alert:
    base = dict(what=what, plan_id="p1", plan_name=HOSTILE, partner_name=HOSTILE,
                period="2026-10", task_groups=GROUPS, flow_run_url=RUN)  # fmt: skip
    return Alert(**{**base, **extra})


MESSAGES = {
    "plan root": lambda: build_plan_message(hostile_digest()),
    "plan root en": lambda: build_plan_message(hostile_digest(), "en"),
    "reply": lambda: build_reply(
        hostile_digest(),
        [("targets", "t1", "on_track", "behind"), ("datasets", HOSTILE, "published", "missing")],
    ),
    "rejected": lambda: build_alert(
        alert("rejected", dataset=HOSTILE, reasons=[HOSTILE], report_url=REPORT)
    ),
    "failed, bad period": lambda: build_alert(alert("failed", period=HOSTILE, reasons=[HOSTILE])),
    "late": lambda: build_alert(alert("late", dataset=HOSTILE)),
    "leads digest": lambda: build_leads_digest(
        LeadsDigest(
            week="2026-W48",
            plans=[
                PlanStanding(
                    plan_id="p1",
                    plan_name=f"{HOSTILE} — {HOSTILE}",
                    period="2026-10",
                    kpis=[kpi(label_vi=HOSTILE)],
                    history={},
                )
            ],
        )
    ),
}


@pytest.mark.parametrize("kind", MESSAGES)
def test_data_in_a_message_is_escaped_and_our_links_stay(kind: str) -> None:
    assert_escaped(MESSAGES[kind]())


def test_the_outbox_row_of_an_alert_is_escaped_with_working_links(outbox) -> None:
    enqueue_alert(outbox, alert("rejected", dataset=HOSTILE, reasons=[HOSTILE],
                                report_url=REPORT), "C0PLAN1")  # fmt: skip
    text, blocks = outbox.execute("SELECT text, blocks FROM ops.outbox").fetchone()
    assert_escaped(SlackMessage(text=text, blocks=json.loads(blocks)))
    sent = text + blocks
    assert f"<{RUN}|" in sent and f"<{REPORT}|" in sent and "<!subteam^S0CUTRU>" in sent


def test_a_link_cannot_be_closed_by_its_url() -> None:
    msg = build_plan_message(digest(flow_run_url="http://x/run>|<!channel>"))
    for text in mrkdwn(msg):
        assert "<" not in OURS.sub("", text) and "<!channel>" not in text, text
