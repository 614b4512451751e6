"""Prefect artifacts of a plan run: the markdown progress report, the KPI table, and a
progress bar while the run pulls. Artifact keys are stable per plan, so the Prefect
UI's Artifacts page shows each plan's latest report with its history behind it.
"""

from __future__ import annotations

import re
from pathlib import Path
from uuid import UUID

import duckdb
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from tasks import locale as fmt
from tasks.plans import PlanSpec, known_kpis
from tasks.report.markdown import kpi_rows, progress_report
from tasks.report.queries import kpi_history, period_batches, quarantine_reasons


def artifact_key(*parts: str) -> str:
    """Prefect keys allow lower-case letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


def report_url(reports_dir: Path, relative: str, base_url: str | None) -> str:
    """Where a reader opens a report file: the static web server if set, else the file."""
    if base_url:
        return f"{base_url.rstrip('/')}/{relative}"
    return (reports_dir / relative).resolve().as_uri()


def _targets_at(con: duckdb.DuckDBPyConnection, plan_id: str, period: str) -> list[dict]:
    labels, targets = known_kpis(), []
    for series in kpi_history(con, plan_id).values():
        for row in series:
            if row["period"] == period:
                targets.append({**row, "label_vi": labels[row["kpi"]]["label_vi"]})
    return targets


def _links(
    plan_id: str, reports_dir: Path, base_url: str | None, flow_run_url: str | None
) -> dict[str, str]:
    links = {
        "Báo cáo kế hoạch": report_url(reports_dir, f"plan-{plan_id}.html", base_url),
        "Danh mục kế hoạch": report_url(reports_dir, "index.html", base_url),
        "Xếp hạng 766 và hệ thống đối tác": report_url(reports_dir, "review.html", base_url),
    }
    if flow_run_url:
        links["Lượt chạy trên Prefect"] = flow_run_url
    return links


def publish_run_artifacts(
    con: duckdb.DuckDBPyConnection,
    plan: PlanSpec,
    period: str,
    reports_dir: Path,
    base_url: str | None = None,
    flow_run_url: str | None = None,
) -> None:
    """The markdown report and the KPI table of (plan, period), from the warehouse."""
    targets = _targets_at(con, plan.id, period)
    batches = period_batches(con, plan.id, period)
    docs = {
        b["batch_id"]: report_url(reports_dir, f"datadocs/{b['batch_id']}.html", base_url)
        for b in batches
        if (reports_dir / "datadocs" / f"{b['batch_id']}.html").exists()
    }
    markdown = progress_report(
        f"{plan.name} — {fmt.period(period)}",
        targets,
        batches,
        quarantine_reasons(con, plan.id, period),
        _links(plan.id, reports_dir, base_url, flow_run_url),
        docs,
    )
    description = f"{plan.name} — {fmt.period(period)}"
    create_markdown_artifact(markdown, key=artifact_key(plan.id, "report"), description=description)
    create_table_artifact(
        kpi_rows(targets), key=artifact_key(plan.id, "kpis"), description=description
    )


class RunProgress:
    """A progress artifact advanced step by step (pull, validate, publish of each dataset)."""

    def __init__(self, plan_id: str, steps: int, description: str) -> None:
        self.steps, self.done = max(steps, 1), 0
        self.artifact_id: UUID = create_progress_artifact(
            0.0, key=artifact_key(plan_id, "progress"), description=description
        )

    def advance(self, description: str | None = None) -> None:
        self.done = min(self.done + 1, self.steps)
        update_progress_artifact(
            self.artifact_id, 100.0 * self.done / self.steps, description=description
        )
