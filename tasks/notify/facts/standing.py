"""Facts for alerts and the leads' digest, read from the warehouse (counts and reasons only)."""

from __future__ import annotations

import json
from datetime import date

import duckdb

from tasks.notify.facts.digest import kpi_progress, task_groups
from tasks.notify.facts.links import report_url
from tasks.notify.facts.models import Alert, PlanStanding
from tasks.plans import PlanSpec

REJECTED_SQL = """
SELECT dataset, batch_id, validation FROM ops.batches WHERE plan_id = ? AND period = ?
QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY finished_at DESC) = 1
"""
PUBLISHED_SQL = """
SELECT DISTINCT dataset FROM ops.batches WHERE plan_id = ? AND period = ? AND status = 'published'
"""
LATEST_PERIOD_SQL = "SELECT max(period) FROM marts.target_progress WHERE plan_id = ?"
HISTORY_SQL = """
SELECT target_id, period, current_value FROM marts.target_progress
WHERE plan_id = ? ORDER BY target_id, period
"""


def rejected_alerts(
    con: duckdb.DuckDBPyConnection, plan: PlanSpec, period: str, reports_url: str | None = None
) -> list[Alert]:
    """One alert per dataset whose latest batch of the period was rejected (critical checks)."""
    alerts = []
    for dataset, batch_id, validation in con.execute(REJECTED_SQL, [plan.id, period]).fetchall():
        failed = [
            o.get("reason") or o.get("expectation", "?")
            for o in json.loads(validation or "[]")
            if o.get("severity") == "critical" and not o.get("success", True)
        ]
        if failed:
            alerts.append(
                _alert(
                    plan,
                    period,
                    "rejected",
                    dataset,
                    failed,
                    report_url=report_url(reports_url, batch_id),
                )
            )
    return alerts


def late_alerts(
    con: duckdb.DuckDBPyConnection, plan: PlanSpec, period: str, due: date, today: date
) -> list[Alert]:
    """One alert per dataset with no published batch for the period after its due date."""
    if today <= due:
        return []
    published = {r[0] for r in con.execute(PUBLISHED_SQL, [plan.id, period]).fetchall()}
    return [
        _alert(plan, period, "late", d.id, [], due=due, today=today)
        for d in plan.datasets
        if d.id not in published
    ]


def run_alert(plan: PlanSpec, period: str, what: str, error: str | None, url: str | None) -> Alert:
    """A failed or crashed run of (plan, period)."""
    return _alert(plan, period, what, None, [error] if error else [], flow_run_url=url)


def _alert(
    plan: PlanSpec, period: str, what: str, dataset: str | None, reasons: list[str], **extra: object
) -> Alert:
    return Alert(
        what=what,
        plan_id=plan.id,
        plan_name=plan.name,
        partner_name=plan.partner.name,
        period=period,
        dataset=dataset,
        reasons=reasons,
        task_groups=task_groups(plan),
        **extra,
    )  # type: ignore[arg-type]


def plan_standing(con: duckdb.DuckDBPyConnection, plan: PlanSpec) -> PlanStanding | None:
    """The plan's targets at its latest computed period, with their history."""
    (period,) = con.execute(LATEST_PERIOD_SQL, [plan.id]).fetchone()
    if period is None:
        return None
    history: dict[str, list[tuple[str, float | None]]] = {}
    for target_id, p, value in con.execute(HISTORY_SQL, [plan.id]).fetchall():
        history.setdefault(target_id, []).append((p, value))
    return PlanStanding(
        plan_id=plan.id,
        plan_name=plan.name,
        period=period,
        kpis=kpi_progress(con, plan.id, period),
        history=history,
    )
