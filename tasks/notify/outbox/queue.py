"""What a plan run queues for Slack, in the caller's transaction with the data it describes.

After each published dataset: the thread root, marked as running. After the
marts: the final root (a reply if a posted root's state changed), an alert per
rejected batch, and one per dataset late by the plan's calendar.
"""

from __future__ import annotations

from datetime import date

import duckdb

from tasks.notify.facts.digest import build_digest
from tasks.notify.facts.links import data_due
from tasks.notify.facts.standing import late_alerts, rejected_alerts
from tasks.notify.outbox.store import enqueue_alert, enqueue_plan_thread
from tasks.plans import PlanSpec


def queue_plan(
    con: duckdb.DuckDBPyConnection,
    plan: PlanSpec,
    period: str,
    *,
    lang: str = "vi",
    flow_run_url: str | None = None,
    reports_url: str | None = None,
    in_progress: bool = False,
    today: date | None = None,
) -> bool:
    """Queue the plan's messages for the period; True when any is new."""
    digest = build_digest(
        con,
        plan,
        period,
        flow_run_url,
        in_progress=in_progress,
        reports_url=reports_url,
        today=today,
    )
    queued = enqueue_plan_thread(con, digest, plan.slack_channel, lang)
    if in_progress:
        return queued
    alerts = rejected_alerts(con, plan, period, reports_url)
    due = data_due(period, plan.data_due_day)
    if due is not None:
        alerts += late_alerts(con, plan, period, due, today or date.today())
    for alert in alerts:
        alert = alert.model_copy(update={"flow_run_url": flow_run_url})
        queued = enqueue_alert(con, alert, plan.slack_channel, lang) or queued
    return queued
