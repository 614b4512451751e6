"""The reporting steps of a plan run: Prefect artifacts, static HTML reports, pull failures.

Reports are derived from the warehouse after the marts are refreshed, so a
rerun rewrites them with the same numbers. Each step opens the warehouse under
the writer slot: DuckDB refuses even a reader while another process writes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.plans import PlanSpec, load_plans
from flows.steps import warehouse
from tasks.report.artifacts import publish_run_artifacts
from tasks.report.html import ReportPaths, write_reports
from tasks.settings import Settings, load_settings


def write_plan_reports(settings: Settings, plan_id: str) -> ReportPaths:
    """The plan's page, the portfolio and the review page, from the warehouse now."""
    plans = list(load_plans(settings.plans_dir).values())
    with warehouse(settings) as con:
        return write_reports(con, plans, settings.reports_dir, datetime.now(), only={plan_id})


@task(cache_policy=NO_CACHE)
def report_run(settings: Settings, plan: PlanSpec, period: str) -> Path:
    """Publish the run's artifacts and rewrite the HTML reports; returns the plan's page."""
    run_url = flow_run.ui_url if settings.prefect_ui_url else None
    with warehouse(settings) as con:
        publish_run_artifacts(
            con, plan, period, settings.reports_dir, settings.reports_url, run_url
        )
    paths = write_plan_reports(settings, plan.id)
    get_run_logger().info("Reports written: %s", paths.plans[plan.id])
    return paths.plans[plan.id]


@task(cache_policy=NO_CACHE)
def record_pull_failure(
    settings: Settings, plan: PlanSpec, dataset_id: str, period: str, error: str
) -> None:
    """Remember a pull that failed after its retries: the review page shows the link down."""
    source = next(d.source for d in plan.datasets if d.id == dataset_id)
    with warehouse(settings) as con:
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
    with warehouse(settings) as con:
        paths = write_reports(con, plans, settings.reports_dir, datetime.now())
    return [paths.portfolio, paths.review, *paths.plans.values()]
