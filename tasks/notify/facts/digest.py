"""Read a plan's standing for one period out of the warehouse (counts only)."""

from __future__ import annotations

from datetime import date

import duckdb

from tasks.notify.facts.links import data_due, report_url
from tasks.notify.facts.models import DatasetStatus, KpiProgress, PlanDigest, TaskGroup
from tasks.plans import PlanSpec, known_kpis

LATEST_BATCHES_SQL = """
SELECT dataset, status, rows_in, rows_published, rows_quarantined, batch_id
FROM ops.batches WHERE plan_id = ? AND period = ?
QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY finished_at DESC) = 1
ORDER BY dataset
"""
TOP_REASONS_SQL = """
SELECT reason, count(DISTINCT row_number) AS n FROM ops.quarantine
WHERE batch_id = ? GROUP BY reason ORDER BY n DESC, reason LIMIT 3
"""
PROGRESS_SQL = """
SELECT target_id, kpi, scope, current_value, previous_value, target_value, due_date,
       on_track, met, forecast_date, task_group_id, status
FROM marts.target_progress WHERE plan_id = ? AND period = ? ORDER BY target_id
"""


def dataset_statuses(
    con: duckdb.DuckDBPyConnection, plan: PlanSpec, period: str, reports_url: str | None = None
) -> list[DatasetStatus]:
    """The latest batch of each dataset of the plan; 'missing' where none arrived."""
    found = {row[0]: row for row in con.execute(LATEST_BATCHES_SQL, [plan.id, period]).fetchall()}
    statuses = []
    for spec in plan.datasets:
        row = found.get(spec.id)
        if row is None:
            statuses.append(
                DatasetStatus(
                    dataset=spec.id,
                    status="missing",
                    rows_in=0,
                    rows_published=0,
                    rows_quarantined=0,
                )
            )
            continue
        reasons = con.execute(TOP_REASONS_SQL, [row[5]]).fetchall()
        statuses.append(
            DatasetStatus(
                dataset=spec.id,
                status=row[1],
                rows_in=row[2],
                rows_published=row[3],
                rows_quarantined=row[4],
                top_reasons=[(r, int(n)) for r, n in reasons],
                batch_id=row[5],
                report_url=report_url(reports_url, row[5]),
            )
        )
    return statuses


def kpi_progress(con: duckdb.DuckDBPyConnection, plan_id: str, period: str) -> list[KpiProgress]:
    labels = known_kpis()
    return [
        KpiProgress(
            target_id=r[0],
            kpi=r[1],
            label_vi=labels[r[1]]["label_vi"],
            label_en=labels[r[1]]["label_en"],
            scope=r[2],
            current=r[3],
            previous=r[4],
            target=r[5],
            due_date=r[6],
            on_track=r[7],
            met=r[8],
            forecast_date=r[9],
            task_group_id=r[10],
            status=r[11],
        )
        for r in con.execute(PROGRESS_SQL, [plan_id, period]).fetchall()
    ]


def task_groups(plan: PlanSpec) -> list[TaskGroup]:
    return [
        TaskGroup(
            id=g.id,
            name=g.name,
            slack_channel=g.slack_channel,
            slack_usergroup_id=g.slack_usergroup_id,
        )
        for g in plan.task_groups
    ]


def build_digest(
    con: duckdb.DuckDBPyConnection,
    plan: PlanSpec,
    period: str,
    flow_run_url: str | None,
    *,
    in_progress: bool = False,
    reports_url: str | None = None,
    today: date | None = None,
) -> PlanDigest:
    """The plan's standing; mid-run, datasets not reached yet are 'waiting', not missing."""
    due = data_due(period, plan.data_due_day)
    overdue = due is not None and (today or date.today()) > due
    unseen = "waiting" if in_progress else "late" if overdue else "missing"
    datasets = [
        ds.model_copy(update={"status": unseen}) if ds.status == "missing" else ds
        for ds in dataset_statuses(con, plan, period, reports_url)
    ]
    return PlanDigest(
        plan_id=plan.id,
        plan_name=plan.name,
        partner_name=plan.partner.name,
        period=period,
        datasets=datasets,
        kpis=kpi_progress(con, plan.id, period),
        task_groups=task_groups(plan),
        flow_run_url=flow_run_url,
        in_progress=in_progress,
        data_due=due,
    )
