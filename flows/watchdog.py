"""The watchdog: runs whose process died (a worker SIGKILLed, a machine lost) are marked
Crashed and alerted, from outside the dead process.

A dead process runs no on_failure or on_crashed hook, and its run stays Running
forever. Every run started by `plan06 serve` (or a worker with the same
variable) sends a heartbeat event every PREFECT_FLOWS_HEARTBEAT_FREQUENCY
seconds; the watchdog, itself a deployment served every HEARTBEAT_SECONDS,
marks a plan06 run Crashed when its last sign of life (a heartbeat, or its
start) is older than two heartbeats, and queues one Slack alert for it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prefect import flow, get_run_logger
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.events.filters import (
    EventFilter,
    EventNameFilter,
    EventOccurredFilter,
    EventResourceFilter,
)
from prefect.runtime import flow_run as this_run
from prefect.states import Crashed

from flows.delivery import deliver_outbox
from flows.periods import last_periods
from flows.plans import load_plans
from flows.store import writer
from tasks.settings import Settings, load_settings
from warehouse.db import transaction

HEARTBEAT_SECONDS = 30  # Prefect's minimum heartbeat interval
HEARTBEAT_EVENT = "prefect.flow-run.heartbeat"


def running_plan_runs(client: SyncPrefectClient) -> list[FlowRun]:
    """plan06's runs the API believes are Running."""
    running = FlowRunFilterStateType(any_=[StateType.RUNNING])
    return client.read_flow_runs(
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=running), tags=FlowRunFilterTags(all_=["plan06"])
        ),
        limit=200,
    )


def last_sign_of_life(client: SyncPrefectClient, run: FlowRun, now: datetime) -> datetime:
    """The run's latest heartbeat, or its start when it has sent none."""
    started = run.start_time or run.expected_start_time or now
    page = client.read_events(
        EventFilter(
            occurred=EventOccurredFilter(since=started - timedelta(minutes=1), until=now),
            event=EventNameFilter(name=[HEARTBEAT_EVENT]),
            resource=EventResourceFilter(id=[f"prefect.flow-run.{run.id}"]),
        ),
        limit=1,
    )
    beats = [e.occurred for e in page.events]
    return max([started, *beats])


def queue_crash_alert(settings: Settings, run: FlowRun, silent_for: timedelta) -> bool:
    """Adapter to the Slack alerts of tasks/notify: one 'crashed' alert per plan and period."""
    from tasks.notify.facts.digest import task_groups
    from tasks.notify.facts.models import Alert
    from tasks.notify.outbox.store import enqueue_alert

    plans = load_plans(settings.plans_dir)
    params = run.parameters or {}
    plan = plans.get(str(params.get("plan_id")))
    if plan is None:
        return False
    period = params.get("period") or params.get("first") or last_periods(1)[0]
    reason = f"no heartbeat for {int(silent_for.total_seconds())} s: the process running it died"
    alert = Alert(
        what="crashed",
        plan_id=plan.id,
        plan_name=plan.name,
        partner_name=plan.partner.name,
        period=str(period),
        reasons=[f"{run.name}: {reason}"],
        task_groups=task_groups(plan),
    )
    with writer(settings) as con, transaction(con):
        return enqueue_alert(con, alert, plan.slack_channel, settings.language)


@flow(name="watchdog", log_prints=True)
def watchdog(stale_after_seconds: int = 2 * HEARTBEAT_SECONDS) -> list[str]:
    """Mark plan06 runs without a recent sign of life Crashed, alert, deliver; names them."""
    logger, settings = get_run_logger(), load_settings()
    now, crashed = datetime.now(UTC), []
    with get_client(sync_client=True) as client:
        for run in running_plan_runs(client):
            silent_for = now - last_sign_of_life(client, run, now)
            if str(run.id) == str(this_run.id) or silent_for.total_seconds() <= stale_after_seconds:
                continue
            message = (
                f"No heartbeat for {int(silent_for.total_seconds())} s: marked by plan06 watchdog"
            )
            client.set_flow_run_state(run.id, Crashed(message=message), force=True)
            logger.warning("%s (%s): %s", run.name, run.id, message)
            queue_crash_alert(settings, run, silent_for)
            crashed.append(run.name)
    if crashed:
        deliver_outbox(settings)
    return crashed
