"""Prefect deployments built from the plan files, and `plan06 serve` that serves them.

Per active plan, a scheduled deployment `run-plan/<plan id>` on the plan's own
cron and timezone (Asia/Ho_Chi_Minh) with the plan id as the schedule's
parameter; then `sync-plan/rerun` (one plan and period) and `backfill/backfill`
(a plan over a range of months), which leads trigger through `plan06 gateway`;
`watchdog/watchdog` (every 30 s: runs whose process died are marked Crashed
and alerted); and `maintain/weekly`, the warehouse's upkeep.
Parameters are plan ids, periods and flags only.
"""

from __future__ import annotations

import os
from datetime import timedelta

from prefect import flow, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron, Interval

from flows.backfill import backfill
from flows.guards import ensure_guard_limits
from flows.maintain import maintain
from flows.periods import Period, last_periods
from flows.plans import PlanSpec, load_plans
from flows.run_params import PlanId, require_plan
from flows.sync_plan import sync_plan
from flows.watchdog import HEARTBEAT_SECONDS, watchdog
from tasks.settings import load_settings

TAGS = ["plan06"]
# Sunday night in Vietnam, when no plan's cron runs (they run on weekday mornings)
UPKEEP = "Warehouse upkeep: small files merged, old snapshots expired"
MAINTAIN_SCHEDULE = Cron("0 2 * * 0", timezone="Asia/Ho_Chi_Minh")


@flow(name="run-plan", flow_run_name="{plan_id} (scheduled)", log_prints=True)
def run_plan(plan_id: PlanId, period: Period | None = None) -> None:
    """The scheduled run of a plan: the last complete month unless a period is given."""
    require_plan(plan_id)
    sync_plan(plan_id, period or last_periods(1)[0])


def plan_deployment(plan: PlanSpec) -> RunnerDeployment:
    """The plan's scheduled deployment: its cron, in its timezone, with its id."""
    schedule = Cron(
        plan.schedule.cron, timezone=plan.schedule.timezone, parameters={"plan_id": plan.id}
    )
    return run_plan.to_deployment(
        name=plan.id,
        schedule=schedule,
        parameters={"plan_id": plan.id},
        description=f"{plan.name} — {plan.partner.name}",
        tags=[*TAGS, plan.id],
    )


def build_deployments(watchdog_every: int = HEARTBEAT_SECONDS) -> list[RunnerDeployment]:
    """Every deployment plan06 serves, from the plan files as they are now."""
    plans = load_plans(load_settings().plans_dir).values()
    deployments = [plan_deployment(p) for p in plans if p.active]
    deployments += [
        sync_plan.to_deployment(name="rerun", tags=TAGS, description="Rerun one plan and period"),
        backfill.to_deployment(name="backfill", tags=TAGS, description="A plan over past months"),
        watchdog.to_deployment(
            name="watchdog", tags=TAGS, schedule=Interval(timedelta(seconds=watchdog_every))
        ),
        maintain.to_deployment(
            name="weekly", tags=TAGS, schedule=MAINTAIN_SCHEDULE, description=UPKEEP
        ),
    ]
    return deployments


def serve_plans(limit: int | None = None, watchdog_every: int = HEARTBEAT_SECONDS) -> None:
    """Create the slice guards, then serve every deployment until interrupted."""
    # Runs started by this process send a heartbeat the watchdog checks.
    os.environ.setdefault("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", str(HEARTBEAT_SECONDS))
    ensure_guard_limits()
    serve(*build_deployments(watchdog_every), limit=limit)


if __name__ == "__main__":
    from flows.api_auth import require_authenticated_api

    require_authenticated_api("flows/serve.py")  # the check `plan06 serve` makes
    serve_plans()
