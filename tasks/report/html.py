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

from tasks.plans import PlanSpec
from tasks.report.pages import plan_page, portfolio_page, review_page

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _pct(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def _when(value: datetime | None) -> str:
    return "—" if value is None else value.strftime("%d/%m/%Y %H:%M")


def _number(value: float | int | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}".replace(",", ".")


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=_pct, when=_when, number=_number)
    return env


@dataclass(frozen=True)
class ReportPaths:
    portfolio: Path
    review: Path
    plans: dict[str, Path]


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
    env = environment()
    written = {}
    for plan in plans:
        if only is not None and plan.id not in only:
            continue
        page = plan_page(con, plan, now, reports_dir)
        html = env.get_template("plan.html.j2").render(**page)
        written[plan.id] = _write(plan_report_path(reports_dir, plan.id), html)
    portfolio = env.get_template("portfolio.html.j2").render(**portfolio_page(con, plans, now))
    review = env.get_template("review.html.j2").render(**review_page(con, plans, now))
    return ReportPaths(
        portfolio=_write(reports_dir / "index.html", portfolio),
        review=_write(reports_dir / "review.html", review),
        plans=written,
    )
