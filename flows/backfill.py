"""Backfill: one plan over a range of past months, one sync_plan run per month.

Resumable: a month whose every dataset is already published is skipped (unless
force), so a backfill stopped halfway picks up where it stopped. Idempotent: a
month that runs again replaces exactly its slice. Messages are delivered once,
at the end. The same flow is the `backfill/backfill` deployment a lead triggers
through `plan06 gateway` with plan_id, first, last, force and dry_run.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
from prefect import flow, get_run_logger

from flows.delivery import deliver_outbox
from flows.periods import Period, period_range
from flows.plans import PlanSpec, load_plans
from flows.run_params import PlanId, require_plan
from flows.store import snapshot, writer
from flows.sync_plan import sync_plan
from tasks.report.artifacts import RunProgress
from tasks.settings import Settings, load_settings

PUBLISHED_SQL = """
SELECT period FROM (
    SELECT * FROM ops.batches WHERE plan_id = ?
    QUALIFY row_number() OVER (PARTITION BY dataset, period ORDER BY finished_at DESC) = 1
)
GROUP BY period
HAVING count(DISTINCT dataset) FILTER (WHERE status = 'published' AND list_contains(?, dataset))
     = len(?)
"""


@dataclass(frozen=True)
class Step:
    period: str
    action: str  # "run" | "skip" (already published)


def published_periods(con: duckdb.DuckDBPyConnection, plan: PlanSpec) -> set[str]:
    """Months whose latest batch of every dataset of the plan was published."""
    datasets = [d.id for d in plan.datasets]
    return {row[0] for row in con.execute(PUBLISHED_SQL, [plan.id, datasets, datasets]).fetchall()}


def backfill_steps(published: set[str], first: str, last: str, force: bool) -> list[Step]:
    """What a backfill does for each month of the range, oldest first."""
    return [
        Step(p, "skip" if p in published and not force else "run")
        for p in period_range(first, last)
    ]


def published_now(settings: Settings, plan: PlanSpec) -> set[str]:
    """Read-only look at the warehouse, for the CLI's plan before any run starts."""
    if not settings.warehouse.is_lake and not settings.warehouse_path.exists():
        return set()
    with snapshot(settings) as con:
        return published_periods(con, plan)


@flow(name="backfill", flow_run_name="{plan_id} {first}..{last}", log_prints=True)
def backfill(
    plan_id: PlanId, first: Period, last: Period, force: bool = False, dry_run: bool = False
) -> dict[str, str]:
    """Run the plan for every month from first to last (YYYY-MM); returns what each month did."""
    require_plan(plan_id)  # before anything else: an unknown id says which ids exist
    settings, logger = load_settings(), get_run_logger()
    plan = load_plans(settings.plans_dir)[plan_id]
    with writer(settings) as con:  # a first backfill creates the warehouse
        steps = backfill_steps(published_periods(con, plan), first, last, force)
    if dry_run:
        return {s.period: f"would {s.action}" for s in steps}
    progress = RunProgress(f"{plan_id}-backfill", len(steps), f"{plan_id} {first}..{last}")
    for step in steps:
        if step.action == "run":
            sync_plan(plan_id, step.period, deliver=False)
        logger.info("%s %s: %s", plan_id, step.period, step.action)
        progress.advance(f"{step.period}: {step.action}")
    deliver_outbox(settings)
    return {s.period: s.action for s in steps}
