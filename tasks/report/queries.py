"""What the reports show, read out of the warehouse: counts, rates, ids and times only.

Every query is generic over ops.batches and marts.target_progress, so a new
dataset or plan shows up in the reports without a code change.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

KPI_HISTORY_SQL = """
SELECT target_id, kpi, scope, period, current_value, target_value, due_date,
       forecast_date, met, on_track, task_group_id, previous_value, status
FROM marts.target_progress WHERE plan_id = ? ORDER BY target_id, period
"""
# The latest batch of each (plan, dataset, period): a rerun supersedes the earlier ones.
LATEST_BATCHES = """
SELECT * FROM ops.batches
QUALIFY row_number() OVER (PARTITION BY plan_id, dataset, period ORDER BY finished_at DESC) = 1
"""
QUALITY_TREND_SQL = f"""
SELECT plan_id, period, sum(rows_in) AS rows_in, sum(rows_published) AS rows_published,
       sum(rows_quarantined) AS rows_quarantined,
       count(*) FILTER (WHERE status = 'rejected') AS batches_rejected
FROM ({LATEST_BATCHES}) GROUP BY ALL ORDER BY plan_id, period
"""
QUARANTINE_SQL = """
SELECT dataset, severity, reason, count(DISTINCT row_number) AS rows_affected
FROM ops.quarantine WHERE plan_id = ? AND period = ?
GROUP BY ALL ORDER BY rows_affected DESC, dataset, reason
"""
PERIOD_BATCHES_SQL = f"""
SELECT dataset, batch_id, status, rows_in, rows_published, rows_quarantined, validation,
       flow_run_id, finished_at
FROM ({LATEST_BATCHES}) WHERE plan_id = ? AND period = ? ORDER BY dataset
"""
FRESHNESS_SQL = """
SELECT plan_id, dataset,
       max(finished_at) FILTER (WHERE status = 'published') AS last_published_at,
       max(period) FILTER (WHERE status = 'published') AS latest_period,
       arg_max(status, finished_at) AS last_status, max(finished_at) AS last_attempt_at
FROM ops.batches GROUP BY ALL ORDER BY plan_id, dataset
"""


def fetch(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None
) -> list[dict]:
    """Rows as dicts keyed by column name."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def kpi_history(con: duckdb.DuckDBPyConnection, plan_id: str) -> dict[str, list[dict]]:
    """Each target's progress rows, oldest period first, by target id."""
    history: dict[str, list[dict]] = {}
    for row in fetch(con, KPI_HISTORY_SQL, [plan_id]):
        history.setdefault(row["target_id"], []).append(row)
    return history


def quality_trend(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict]]:
    """Per plan and period: rows in, published, quarantined, rejected batches."""
    trend: dict[str, list[dict]] = {}
    for row in fetch(con, QUALITY_TREND_SQL):
        row["quarantine_rate"] = row["rows_quarantined"] / row["rows_in"] if row["rows_in"] else 0
        trend.setdefault(row.pop("plan_id"), []).append(row)
    return trend


def quarantine_reasons(con: duckdb.DuckDBPyConnection, plan_id: str, period: str) -> list[dict]:
    """Why rows of the period were kept out, most frequent first."""
    return fetch(con, QUARANTINE_SQL, [plan_id, period])


def _failed_checks(validation: str | None) -> list[str]:
    outcomes = json.loads(validation) if validation else []
    return [o["reason"] for o in outcomes if o.get("severity") == "critical" and not o["success"]]


def period_batches(con: duckdb.DuckDBPyConnection, plan_id: str, period: str) -> list[dict]:
    """The batch of each dataset in the period, with the checks that rejected it."""
    batches = fetch(con, PERIOD_BATCHES_SQL, [plan_id, period])
    for batch in batches:
        batch["rejection_reasons"] = _failed_checks(batch.pop("validation"))
    return batches


def freshness(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every (plan, dataset) ever pulled: last published batch and latest period."""
    return fetch(con, FRESHNESS_SQL)
