"""leads_digest: every plan on one page for the working-group leads, weekly.

Reads each plan's latest standing from the marts, queues one message per ISO
week (a rerun in the same week updates it in place) with the progress chart
uploaded into its thread, checks the plans' data calendars for late data, and
delivers. `digest_deployment()` gives the weekly schedule to `plan06 serve`.
"""

from __future__ import annotations

from datetime import date

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.delivery import deliver_outbox
from flows.store import snapshot, writer
from tasks.notify.compose.chart import progress_chart
from tasks.notify.compose.leads import build_leads_digest
from tasks.notify.facts.links import data_due, due_period
from tasks.notify.facts.models import LeadsDigest
from tasks.notify.facts.standing import late_alerts, plan_standing
from tasks.notify.outbox.store import enqueue, enqueue_alert
from tasks.plans import load_plans
from tasks.settings import Settings, load_settings

DIGEST_CRON = "0 8 * * 1"  # Mondays 08:00, Asia/Ho_Chi_Minh


@task(cache_policy=NO_CACHE)
def queue_digest(settings: Settings, channel: str, today: date) -> bool:
    """The week's digest and chart, in one transaction; True when it changed."""
    week = "{}-W{:02d}".format(*today.isocalendar()[:2])
    plans = load_plans(settings.plans_dir).values()
    with snapshot(settings) as con:
        standings = [s for p in plans if p.active and (s := plan_standing(con, p))]
    digest = LeadsDigest(week=week, plans=standings)  # rendered with no warehouse open
    message = build_leads_digest(digest, settings.language)
    chart = (f"tien-do-{week}.png", progress_chart(digest, settings.language))
    with writer(settings) as con:
        con.begin()
        try:
            queued = enqueue(
                con,
                plan_id="all",
                period=week,
                kind="digest",
                channel=channel,
                message=message,
                key=f"digest:{week}",
                file=chart,
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return queued


@task(cache_policy=NO_CACHE)
def queue_late_data(settings: Settings, today: date) -> int:
    """An alert per dataset not delivered by its plan's calendar (data_due_day)."""
    queued = 0
    with writer(settings) as con:
        for plan in load_plans(settings.plans_dir).values():
            if not plan.active or plan.data_due_day is None:
                continue
            period = due_period(today, plan.data_due_day)
            due = data_due(period, plan.data_due_day)
            for alert in late_alerts(con, plan, period, due, today):  # type: ignore[arg-type]
                con.begin()
                queued += enqueue_alert(con, alert, plan.slack_channel, settings.language)
                con.commit()
    return queued


@flow(name="leads-digest", log_prints=True)
def leads_digest(today: date | None = None, deliver: bool = True) -> bool:
    """Queue this week's digest (and late-data alerts), then deliver."""
    settings = load_settings()
    if not settings.digest_channel:
        raise ValueError("PLAN06_DIGEST_CHANNEL is not set: the Slack channel id of the leads")
    today = today or date.today()
    queue_late_data(settings, today)
    queued = queue_digest(settings, settings.digest_channel, today)
    if deliver:
        deliver_outbox(settings)
    return queued


def digest_deployment() -> object:
    """The weekly deployment of leads_digest, for `plan06 serve`."""
    from prefect.schedules import Cron

    return leads_digest.to_deployment(
        name="weekly-digest", schedule=Cron(DIGEST_CRON, timezone="Asia/Ho_Chi_Minh")
    )
