"""Deliver the outbox, and queue the alerts a run cannot queue itself.

`deliver_outbox` sends pending messages (dry run without a token). The
`on_failure`/`on_crashed` hooks of sync_plan queue one alert per (plan,
period) and try to deliver it; `queue_crash_alert` does the same for the
external watchdog, which sees runs killed too hard for a hook to fire.
"""

from __future__ import annotations

import logging
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from rich.console import Console

from flows.guards import outbox_guard
from flows.run_params import valid_run_parameters
from flows.store import writer
from tasks.notify.deliver.send import DeliveryReport, deliver_pending, make_client, render_pending
from tasks.notify.facts.links import flow_run_url
from tasks.notify.facts.standing import run_alert
from tasks.notify.outbox.store import enqueue_alert
from tasks.plans import load_plans
from tasks.settings import Settings, load_settings

log = logging.getLogger(__name__)


def drain(settings: Settings, console: Console | None = None) -> DeliveryReport | int:
    """Send pending messages once each; undelivered ones stay for the next run."""
    if settings.slack_bot_token is None:
        with writer(settings) as con:
            return render_pending(con, console or Console())
    client = make_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
    # No connection is held across the Slack calls: each outcome opens the
    # warehouse for its own short transaction (tasks/notify/deliver/). The
    # guard: without it another worker's drain reads the same pending rows and
    # posts them too.
    with outbox_guard(settings.data_dir / "locks"):
        return deliver_pending(lambda: writer(settings), client)


@task(cache_policy=NO_CACHE)
def deliver_outbox(settings: Settings) -> DeliveryReport | int:
    """Send pending messages once each; undelivered ones stay for the next run."""
    logger = get_run_logger()
    report = drain(settings)
    if isinstance(report, int):
        logger.info("SLACK_BOT_TOKEN not set: %d message(s) rendered (dry run)", report)
        return report
    logger.info("Slack: %d sent, %d updated, %d failed", report.sent, report.updated, report.failed)
    for error in report.errors:
        logger.warning("Slack: %s", error)
    return report


@flow(name="deliver-outbox", flow_run_name="deliver outbox", log_prints=True)
def deliver() -> DeliveryReport | int:
    """`plan06 notify`: deliver what earlier runs queued (Slack down, dry run, backfill)."""
    return deliver_outbox(load_settings())


def queue_run_alert(
    settings: Settings,
    plan_id: str,
    period: str,
    what: str,
    error: str | None,
    run_id: str | None,
) -> bool:
    """Queue the failed/crashed alert of (plan, period); one per period, updated in place."""
    plan = load_plans(settings.plans_dir)[plan_id]
    alert = run_alert(plan, period, what, error, flow_run_url(settings.prefect_ui_url, run_id))
    with writer(settings) as con:
        con.begin()
        try:
            queued = enqueue_alert(con, alert, plan.slack_channel, settings.language)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return queued


def queue_crash_alert(flow_run_id: str, error: str | None = None) -> bool:
    """For the watchdog: queue the crash alert of a sync-plan flow run, by its id."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)
    params = run.parameters or {}
    if "plan_id" not in params or "period" not in params:
        raise ValueError(f"flow run {flow_run_id} is not a sync-plan run (no plan_id/period)")
    return queue_run_alert(
        load_settings(), params["plan_id"], params["period"], "crashed", error, flow_run_id
    )


def on_run_failed(flow: Any, flow_run: Any, state: Any) -> None:
    """sync_plan's on_failure / on_crashed hook: alert once, try to deliver, never raise."""
    params, what = flow_run.parameters or {}, "crashed" if state.is_crashed() else "failed"
    if not valid_run_parameters(params):  # refused before it began: nothing ran, nobody to tell
        return
    try:
        settings = load_settings()
        queue_run_alert(
            settings, params["plan_id"], params["period"], what, state.message, str(flow_run.id)
        )
        drain(settings)
    except Exception:  # a hook must not hide the run's own failure
        log.exception("could not queue the %s alert of flow run %s", what, flow_run.id)
