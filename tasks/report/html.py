"""Write the static HTML reports under data/reports/: one page per plan, the portfolio
(index.html) and the review page. Plain files with inline CSS and SVG: any browser
opens them, from disk or any static web server, without an account or network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tasks import locale as fmt
from tasks.locale import catalogue
from tasks.plans import PlanSpec
from tasks.report.chart_cache import chart_cache
from tasks.report.pages import plan_page, portfolio_page, review_page
from tasks.report.xlsx import workbook_name, write_workbook

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _group_name(plan: PlanSpec, group_id: str | None) -> str:
    """A task group's name as the plan file gives it (the id only if unknown)."""
    return next((g.name for g in plan.task_groups if g.id == group_id), group_id or "—")


def target_key(t: dict) -> str:
    """The target's status (marts.target_progress), for the pages' labels and colours."""
    return catalogue.target_status(t["met"], t["on_track"], t.get("status"))


def _forecast(t: dict) -> str:
    """A sentence for every target not yet met: when it will be, or that it will not."""
    key = target_key(t)
    if key == "met":
        return "Đã đạt chỉ tiêu."
    if key == "no_data":
        return "Chưa có dữ liệu kỳ này: chưa thể dự báo."
    if key == "no_trend":
        return "Mới có một kỳ số liệu: chưa có xu hướng để dự báo."
    if t["forecast_date"] is None:
        return "Với tốc độ hiện tại sẽ không đạt chỉ tiêu."
    late = t["forecast_date"] > t["due_date"]
    when = fmt.day(t["forecast_date"])
    return f"Dự kiến đạt ngày {when}" + (", sau hạn." if late else ", trước hạn.")


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pct=lambda v, digits=1: fmt.pct(v, digits),
        when=fmt.when,
        number=lambda v, digits=0: fmt.number(v, digits),
        day=fmt.day,
        period=lambda v: fmt.period(v) if v else "—",
        dataset=catalogue.dataset,
        scope=catalogue.scope,
        status=catalogue.status,
        severity=catalogue.severity,
        group_name=_group_name,
        forecast=_forecast,
        target_key=target_key,
    )
    return env


@dataclass(frozen=True)
class ReportPaths:
    portfolio: Path
    review: Path
    plans: dict[str, Path]


CHART_CACHE = ".chart-cache"  # beside the pages: charts drawn before (chart_cache.py)


def plan_report_path(reports_dir: Path, plan_id: str) -> Path:
    return reports_dir / f"plan-{plan_id}.html"


def _write(path: Path, text: str) -> Path:
    """Atomic replace: a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".html.part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path


def write_reports(
    con: duckdb.DuckDBPyConnection,
    plans: list[PlanSpec],
    reports_dir: Path,
    now: datetime,
    only: set[str] | None = None,
) -> ReportPaths:
    """Render the pages from the warehouse as it is now (plan pages: those in `only`)."""
    with chart_cache(reports_dir / CHART_CACHE):
        return _write_reports(con, plans, reports_dir, now, only)


def _write_reports(
    con: duckdb.DuckDBPyConnection,
    plans: list[PlanSpec],
    reports_dir: Path,
    now: datetime,
    only: set[str] | None,
) -> ReportPaths:
    env = environment()
    written = {}
    for plan in plans:
        if only is not None and plan.id not in only:
            continue
        page = plan_page(con, plan, now, reports_dir)
        page["xlsx"] = None
        if page["period"]:  # the workbook of the period the page shows, beside it
            page["xlsx"] = workbook_name(plan.id, page["period"])
            write_workbook(con, plan, page["period"], reports_dir / page["xlsx"])
        html = env.get_template("plan.html.j2").render(**page)
        written[plan.id] = _write(plan_report_path(reports_dir, plan.id), html)
    portfolio = env.get_template("portfolio.html.j2").render(**portfolio_page(con, plans, now))
    review = env.get_template("review.html.j2").render(**review_page(con, plans, now))
    return ReportPaths(
        portfolio=_write(reports_dir / "index.html", portfolio),
        review=_write(reports_dir / "review.html", review),
        plans=written,
    )
