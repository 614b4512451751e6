"""The portfolio artifact of a sync-all run: every plan and period it ran, in
Vietnamese, with links to the pages (PLAN06_REPORTS_URL when it is set)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.artifacts import create_markdown_artifact

from tasks import locale as fmt
from tasks.locale import catalogue
from tasks.plans import PlanSpec
from tasks.report.artifacts import report_url
from tasks.report.markdown import table


def portfolio_markdown(
    outcome: dict[tuple[str, str], list[Any]],
    plans: dict[str, PlanSpec],
    reports_dir: Path,
    base_url: str | None,
) -> str:
    """One row per (plan, period): each dataset's status, rows published and quarantined."""
    rows = []
    for (plan_id, period), runs in sorted(outcome.items()):
        statuses = ", ".join(
            f"{catalogue.dataset(r.dataset)}: {catalogue.status(r.result.status)}" for r in runs
        )
        page = report_url(reports_dir, f"plan-{plan_id}.html", base_url)
        rows.append(
            [
                f"[{plans[plan_id].name}]({page})",
                fmt.period(period),
                statuses or "không có gì mới",
                fmt.number(sum(r.result.rows_published for r in runs)),
                fmt.number(sum(r.result.rows_quarantined for r in runs)),
            ]
        )
    header = ["Kế hoạch", "Kỳ", "Bộ dữ liệu", "Bản ghi công bố", "Bản ghi bị loại"]
    index = report_url(reports_dir, "index.html", base_url)
    return "\n\n".join(
        [
            "# Danh mục kế hoạch phối hợp: kết quả lượt đồng bộ",
            table(header, rows),
            f"[Mở danh mục kế hoạch]({index})",
        ]
    )


def publish_portfolio_artifact(
    outcome: dict[tuple[str, str], list[Any]],
    plans: dict[str, PlanSpec],
    reports_dir: Path,
    base_url: str | None,
) -> None:
    periods = sorted({period for _, period in outcome})
    description = ", ".join(fmt.period(p) for p in periods)
    create_markdown_artifact(
        portfolio_markdown(outcome, plans, reports_dir, base_url),
        key="portfolio",
        description=f"Tất cả kế hoạch — {description}",
    )
