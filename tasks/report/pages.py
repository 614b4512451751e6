"""The data of each HTML page: a plan's report, the portfolio of all plans, the review.

Pure reads of the warehouse plus inline SVG charts; html.py renders them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from tasks.locale import catalogue
from tasks.plans import PlanSpec, known_kpis
from tasks.report import charts
from tasks.report.queries import (
    freshness,
    kpi_history,
    period_batches,
    quality_trend,
    quarantine_reasons,
)
from tasks.report.review import partner_systems, unit_ranking


def _target_rows(history: dict[str, list[dict]]) -> list[dict[str, Any]]:
    """Each target at its latest period, with its chart over every period."""
    labels, rows = known_kpis(), []
    for series in history.values():
        latest = dict(series[-1])
        latest["label_vi"] = labels[latest["kpi"]]["label_vi"]
        latest["label_en"] = labels[latest["kpi"]]["label_en"]
        latest["chart"] = charts.kpi_chart(
            f"{latest['label_vi']} ({catalogue.scope(latest['scope'])})",
            [r["period"] for r in series],
            [r["current_value"] for r in series],
            latest["target_value"],
            latest["due_date"],
        )
        rows.append(latest)
    return rows


def _quality(trend: list[dict]) -> dict[str, Any]:
    return {
        "rows": trend,
        "chart": charts.quality_chart(
            [r["period"] for r in trend],
            [r["quarantine_rate"] for r in trend],
            [r["batches_rejected"] for r in trend],
        )
        if trend
        else None,
    }


def _with_age(rows: list[dict], now: datetime) -> list[dict]:
    for row in rows:
        published = row["last_published_at"]
        row["age_days"] = (now - published).total_seconds() / 86400 if published else None
    return rows


def _freshness_chart(rows: list[dict]) -> str | None:
    dated = [r for r in rows if r["age_days"] is not None]
    if not dated:
        return None
    labels = [f"{r['plan_id']} · {r['dataset']}" for r in dated]
    return charts.freshness_chart(labels, [r["age_days"] for r in dated])


def _link_docs(batches: list[dict], reports_dir: Path) -> list[dict]:
    for batch in batches:
        docs = reports_dir / "datadocs" / f"{batch['batch_id']}.html"
        batch["docs"] = f"datadocs/{docs.name}" if docs.exists() else None
    return batches


def plan_page(
    con: duckdb.DuckDBPyConnection, plan: PlanSpec, now: datetime, reports_dir: Path
) -> dict[str, Any]:
    """Everything a plan's report shows, at its latest period."""
    history = kpi_history(con, plan.id)
    periods = sorted({r["period"] for rows in history.values() for r in rows})
    latest = periods[-1] if periods else None
    fresh = _with_age([f for f in freshness(con) if f["plan_id"] == plan.id], now)
    return {
        "plan": plan,
        "period": latest,
        "periods": periods,
        "targets": _target_rows(history),
        "quality": _quality(quality_trend(con).get(plan.id, [])),
        "quarantine": quarantine_reasons(con, plan.id, latest) if latest else [],
        "batches": _link_docs(period_batches(con, plan.id, latest), reports_dir) if latest else [],
        "freshness": fresh,
        "generated_at": now,
    }


def portfolio_page(
    con: duckdb.DuckDBPyConnection, plans: list[PlanSpec], now: datetime
) -> dict[str, Any]:
    """All plans on one page: each target's chart, data quality, and dataset freshness."""
    trend = quality_trend(con)
    fresh = _with_age(freshness(con), now)
    entries = []
    for plan in plans:
        history = kpi_history(con, plan.id)
        targets = _target_rows(history)
        entries.append(
            {
                "plan": plan,
                "targets": targets,
                "period": max((t["period"] for t in targets), default=None),
                "behind": sum(
                    1
                    for t in targets
                    if catalogue.target_status(t["met"], t["on_track"], t.get("status"))
                    in catalogue.NEEDS_ACTION
                ),
                "quality": _quality(trend.get(plan.id, [])),
            }
        )
    return {
        "entries": entries,
        "freshness": fresh,
        "freshness_chart": _freshness_chart(fresh),
        "plan_names": {p.id: p.name for p in plans},
        "generated_at": now,
    }


def review_page(
    con: duckdb.DuckDBPyConnection, plans: list[PlanSpec], now: datetime
) -> dict[str, Any]:
    """Units ranked by 766 score with bands and rates; each partner system's link."""
    ranking = unit_ranking(con)
    bands: dict[str, int] = {}
    for row in ranking or []:
        bands[row["band_label"]] = bands.get(row["band_label"], 0) + 1
    return {
        "plan_names": {p.id: p.name for p in plans},
        "ranking": ranking,
        "bands": bands,
        "period": ranking[0]["period"] if ranking else None,
        "systems": partner_systems(con, plans, now),
        "generated_at": now,
    }
