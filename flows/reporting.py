"""The reporting steps of a plan run: Prefect artifacts, static HTML reports, pull failures.

Reports are derived from the warehouse after the marts are refreshed, so a
rerun rewrites them with the same numbers. They read a snapshot, never inside a
writer's transaction (on DuckLake a reader waits for no one; on the single
DuckDB file a reader waits, bounded, for the writing process to let go).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.plans import PlanSpec, load_plans
from flows.store import snapshot, writer
from tasks.report.artifacts import publish_run_artifacts
from tasks.report.html import write_reports
from tasks.settings import Settings, load_settings


@task(cache_policy=NO_CACHE)
def report_run(settings: Settings, plan: PlanSpec, period: str) -> Path:
    """Publish the run's artifacts and rewrite the HTML reports; returns the plan's page."""
    run_url = flow_run.ui_url if settings.prefect_ui_url else None
    plans = list(load_plans(settings.plans_dir).values())
    with snapshot(settings) as con:  # one read for the artifacts and the pages
        publish_run_artifacts(
            con, plan, period, settings.reports_dir, settings.reports_url, run_url
        )
        paths = write_reports(con, plans, settings.reports_dir, datetime.now(), only={plan.id})
    get_run_logger().info("Reports written: %s", paths.plans[plan.id])
    return paths.plans[plan.id]


@task(cache_policy=NO_CACHE)
def record_pull_failure(
    settings: Settings, plan: PlanSpec, dataset_id: str, period: str, error: str
) -> None:
    """Remember a pull that failed after its retries: the review page shows the link down."""
    source = next(d.source for d in plan.datasets if d.id == dataset_id)
    with writer(settings) as con:
        con.execute(
            "INSERT INTO ops.pull_failures VALUES (?, ?, ?, ?, ?, ?, current_localtimestamp())",
            [
                plan.id,
                source,
                dataset_id,
                period,
                error[:300],
                str(flow_run.id) if flow_run.id else None,
            ],
        )


@flow(name="reports", flow_run_name="rewrite reports", log_prints=True)
def rewrite_reports() -> list[Path]:
    """`plan06 report`: every page from the warehouse as it is (portfolio, review, plans)."""
    settings = load_settings()
    plans = list(load_plans(settings.plans_dir).values())
    with snapshot(settings) as con:
        paths = write_reports(con, plans, settings.reports_dir, datetime.now())
    return [paths.portfolio, paths.review, *paths.plans.values()]
