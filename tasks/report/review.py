"""The review page's data: units ranked by their 766 score, and each partner system's link.

The 766 scores come from the warehouse's score mart (marts.score_766: one row
per plan, unit and period with `score` and `band_id`/`band_vi`); the digitisation and e-result
rates beside them from marts.dossier_kpis. Partner systems are the sources of
the plan files; a pull that failed after its retries is in ops.pull_failures,
a successful one left a batch in ops.batches.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from tasks.plans import PlanSpec
from tasks.report.queries import fetch

SCORE_MART = ("marts", "score_766")
BAND_LABELS = {
    "tot": "Tốt",
    "good": "Tốt",
    "kha": "Khá",
    "fair": "Khá",
    "trung_binh": "Trung bình",
    "average": "Trung bình",
    "yeu": "Yếu",
    "weak": "Yếu",
}
RANKING_SQL = """
WITH rates AS (
    SELECT plan_id, unit_code, period,
           sum(dossiers_digitised) / nullif(sum(dossiers_received), 0) AS digitisation_rate,
           sum(dossiers_e_result) / nullif(sum(dossiers_with_result), 0) AS e_result_rate
    FROM marts.dossier_kpis GROUP BY ALL
),
latest AS (SELECT max(period) AS period FROM marts.score_766 WHERE score IS NOT NULL)
SELECT s.plan_id, s.unit_code, coalesce(u.name, s.unit_code) AS unit_name, s.period,
       s.score AS total_score, s.band_id AS band, s.band_vi, r.digitisation_rate, r.e_result_rate,
       s.points, s.points_possible, s.coverage, s.missing
FROM marts.score_766 AS s
INNER JOIN latest USING (period)
LEFT JOIN rates AS r USING (plan_id, unit_code, period)
LEFT JOIN core.admin_units AS u USING (unit_code)
-- a unit two plans cover is one unit: ranked once
QUALIFY row_number() OVER (PARTITION BY s.unit_code ORDER BY s.score DESC, s.plan_id) = 1
ORDER BY s.score DESC NULLS LAST, s.unit_code
"""
# Sync lag as the conference meant it (marts.source_sync_lag): update at the
# partner -> arrival in plan06, latest period of each dataset of the source.
LAG_SQL = """
SELECT lag_median_hours, lag_p90_hours, arrived_after_close_share
FROM marts.source_sync_lag WHERE plan_id = $plan AND list_contains($datasets, dataset)
ORDER BY period DESC, records DESC LIMIT 1
"""
SOURCE_SQL = """
SELECT (SELECT max(finished_at) FROM ops.batches
        WHERE plan_id = $plan AND list_contains($datasets, dataset)) AS last_success,
       (SELECT max(failed_at) FROM ops.pull_failures
        WHERE plan_id = $plan AND source = $source) AS last_failure,
       (SELECT arg_max(error, failed_at) FROM ops.pull_failures
        WHERE plan_id = $plan AND source = $source) AS last_error
"""


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()"
        " AND schema_name = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def unit_ranking(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]] | None:
    """Units of the latest scored period, best first; None when there is no score mart yet."""
    if not _table_exists(con, *SCORE_MART):
        return None
    rows = fetch(con, RANKING_SQL)
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        band = str(row["band"]).lower()
        row["band_label"] = row.pop("band_vi") or BAND_LABELS.get(band, row["band"])
    return rows


def _state(last_success: datetime | None, last_failure: datetime | None) -> str:
    if last_failure and (last_success is None or last_failure > last_success):
        return "failing"
    return "connected" if last_success else "never pulled"


def partner_systems(
    con: duckdb.DuckDBPyConnection, plans: list[PlanSpec], now: datetime
) -> list[dict[str, Any]]:
    """Per plan source: connection state, last successful pull, and sync lag in hours."""
    systems = []
    for plan in plans:
        for source_id, source in plan.sources.items():
            datasets = [d.id for d in plan.datasets if d.source == source_id]
            params = {"plan": plan.id, "source": source_id, "datasets": datasets}
            found = fetch(con, SOURCE_SQL, params)[0]
            success = found["last_success"]
            has_lag = _table_exists(con, "marts", "source_sync_lag")
            lag = fetch(con, LAG_SQL, {"plan": plan.id, "datasets": datasets}) if has_lag else []
            systems.append(
                {
                    "plan_id": plan.id,
                    "partner": plan.partner.name,
                    "source": source_id,
                    "kind": source.kind,
                    "datasets": datasets,
                    "state": _state(success, found["last_failure"]),
                    "last_success": success,
                    "last_error": found["last_error"],
                    # freshness: how long since the last pull; sync lag: partner -> plan06
                    "fresh_hours": (now - success).total_seconds() / 3600 if success else None,
                    "lag": lag[0] if lag else None,
                }
            )
    return systems
