"""sync_all: every active plan, for each of the given periods."""

from __future__ import annotations

from prefect import flow

from flows.delivery import deliver_outbox
from flows.periods import last_periods
from flows.plans import load_plans
from flows.run_labels import sync_all_name
from flows.sync_plan import sync_plan
from tasks.report.portfolio_artifact import publish_portfolio_artifact
from tasks.settings import load_settings


@flow(name="sync-all", flow_run_name=sync_all_name, log_prints=True)
def sync_all(periods: list[str] | None = None, plan_ids: list[str] | None = None) -> dict:
    """Run sync_plan for each plan and period; messages are delivered once at the end."""
    settings = load_settings()
    plans = load_plans(settings.plans_dir)
    chosen = plan_ids or [p.id for p in plans.values() if p.active]
    unknown = sorted(set(chosen) - set(plans))
    if unknown:
        raise ValueError(f"unknown plan(s): {', '.join(unknown)}; known: {', '.join(plans)}")
    outcome = {}
    for period in periods or last_periods(3):
        for plan_id in chosen:
            # no tags() block: it would tag every task run of the subflow too
            # (sync_plan tags its own run; see there why not its task runs)
            outcome[(plan_id, period)] = sync_plan(plan_id, period, deliver=False)
    publish_portfolio_artifact(outcome, plans, settings.reports_dir, settings.reports_url)
    deliver_outbox(settings)
    return outcome


if __name__ == "__main__":
    sync_all()
