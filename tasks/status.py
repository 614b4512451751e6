"""The progress table: every plan's targets at their latest period (read-only)."""

from __future__ import annotations

from typing import Any

import duckdb

from tasks.plans import known_kpis

LATEST_PROGRESS_SQL = """
SELECT p.plan_id, p.name AS plan_name, t.period, t.target_id, t.kpi, t.scope,
       t.current_value, t.previous_value, t.target_value, t.due_date, t.forecast_date,
       t.met, t.on_track, t.task_group_id, t.status, t.status_vi
FROM marts.target_progress AS t
JOIN core.plans AS p USING (plan_id)
QUALIFY t.period = max(t.period) OVER (PARTITION BY t.plan_id)
ORDER BY t.plan_id, t.target_id
"""
BATCH_TOTALS_SQL = """
SELECT plan_id, period, sum(rows_in), sum(rows_published), sum(rows_quarantined)
FROM ops.batches
QUALIFY row_number() OVER (PARTITION BY plan_id, dataset, period ORDER BY finished_at DESC) = 1
GROUP BY ALL
"""


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def plan_status(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Plans with their targets; JSON-ready (dates as ISO text, rates 0..1)."""
    labels = known_kpis()
    plans: dict[str, dict[str, Any]] = {}
    for row in con.execute(LATEST_PROGRESS_SQL).fetchall():
        (
            plan_id,
            name,
            period,
            target_id,
            kpi,
            scope,
            current,
            previous,
            target,
            due,
            forecast,
            met,
            on_track,
            group,
            status,
            status_vi,
        ) = row
        plan = plans.setdefault(
            plan_id, {"plan_id": plan_id, "name": name, "period": period, "targets": []}
        )
        plan["targets"].append(
            {
                "target_id": target_id,
                "kpi": kpi,
                "label_vi": labels[kpi]["label_vi"],
                "label_en": labels[kpi]["label_en"],
                "scope": scope,
                "current": _rate(current),
                "previous": _rate(previous),
                "target": target,
                "due_date": due.isoformat(),
                "forecast_date": forecast.isoformat() if forecast else None,
                "met": met,
                "on_track": on_track,
                "status": status,
                "status_vi": status_vi,
                "task_group": group,
            }
        )
    for plan in plans.values():
        plan["score_766"] = _scores(con, plan["plan_id"], plan["period"])
        plan["sync_lag"] = _sync_lag(con, plan["plan_id"], plan["period"])
        plan["dossiers"] = _dossier_totals(con, plan["plan_id"], plan["period"])
    return list(plans.values())


# A 766 score is shown with what it covers: never a partial score alone.
SCORES_SQL = """
SELECT unit_code, score, points, max_points, points_possible, coverage, band_vi, missing
FROM marts.score_766 WHERE plan_id = ? AND period = ? ORDER BY unit_code
"""


# The period's dossier rates over every unit and domain of the plan, and how
# many dossiers carried the code of a split commune (mapped to the dataset's
# default part: an ambiguity reported, not resolved).
TOTALS_SQL = """
SELECT sum(dossiers_received), sum(dossiers_digitised) / nullif(sum(dossiers_with_result), 0),
       sum(dossiers_on_time) / nullif(sum(dossiers_judged), 0), sum(dossiers_on_split_units)
FROM marts.dossier_kpis WHERE plan_id = ? AND period = ?
"""


def _dossier_totals(con: duckdb.DuckDBPyConnection, plan_id: str, period: str) -> dict[str, Any]:
    received, digitised, on_time, split = con.execute(TOTALS_SQL, [plan_id, period]).fetchone()
    return {
        "received": received,
        "digitisation_rate": _rate(digitised),
        "on_time_rate": _rate(on_time),
        "on_split_units": split,
    }


# Sync lag (source update -> arrival) beside freshness (time since the last
# publish): two figures, two names.
SYNC_LAG_SQL = """
SELECT l.dataset, l.records, l.lag_median_hours, l.lag_p90_hours, l.arrived_after_close_share,
       round(epoch(current_localtimestamp() - max(b.finished_at)) / 3600, 2) AS freshness_hours
FROM marts.source_sync_lag AS l
JOIN ops.batches AS b ON b.plan_id = l.plan_id AND b.dataset = l.dataset
WHERE l.plan_id = ? AND l.period = ?
GROUP BY ALL ORDER BY l.dataset
"""


def _sync_lag(con: duckdb.DuckDBPyConnection, plan_id: str, period: str) -> list[dict[str, Any]]:
    names = ("dataset", "records", "lag_median_hours", "lag_p90_hours")
    return [
        dict(zip((*names, "arrived_after_close_share", "freshness_hours"), row, strict=True))
        for row in con.execute(SYNC_LAG_SQL, [plan_id, period]).fetchall()
    ]


def _scores(con: duckdb.DuckDBPyConnection, plan_id: str, period: str) -> list[dict[str, Any]]:
    names = ("unit_code", "score", "points", "max_points", "points_possible", "coverage")
    return [
        dict(zip((*names, "band_vi", "missing"), row, strict=True))
        for row in con.execute(SCORES_SQL, [plan_id, period]).fetchall()
    ]


def batch_totals(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(plan, period) -> rows in, published, quarantined, over the latest batches."""
    return {
        (r[0], r[1]): (int(r[2]), int(r[3]), int(r[4]))
        for r in con.execute(BATCH_TOTALS_SQL).fetchall()
    }
