"""export_plan: the XLSX workbook of one plan and period, for a lead to forward."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.plans import load_plans
from flows.store import snapshot
from tasks.report.xlsx import workbook_name, write_workbook
from tasks.settings import load_settings


@flow(name="export-plan", flow_run_name="export {plan_id} {period}", log_prints=True)
def export_plan(plan_id: str, period: str, out: str | None = None) -> Path:
    """Targets, KPIs per unit, 766 scores and quarantined rows by reason, in one workbook."""
    settings = load_settings()
    plan = load_plans(settings.plans_dir)[plan_id]
    path = Path(out) if out else settings.reports_dir / workbook_name(plan_id, period)
    with snapshot(settings) as con:
        return write_workbook(con, plan, period, path)
