"""Refresh a plan's marts from core (SQL models in warehouse/models/marts).

Intermediate models (warehouse/models/intermediate) become temporary views
first; scoring weights are reloaded from their YAML; then each mart's rows of
the plan are replaced, in the caller's transaction. Every mart row carries the
batch ids behind it (batch_ids).
"""

from __future__ import annotations

import re

import duckdb

from tasks.load.scoring import sync_scoring
from tasks.plans import known_kpis
from warehouse.models import model_sql

INTERMEDIATE_MODELS = ("int_dossiers_flagged",)  # temp views, every plan
MART_MODELS = (  # in dependency order
    "dossier_kpis",
    "dossier_kpis_by_boundary",
    "score_766_indicators",
    "score_766_groups",
    "score_766",
    "land_parcels_progress",
    "residence_records_progress",
    "civil_status_registers_progress",
    "judicial_records_progress",
    "target_progress",
)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _traced_marts(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_columns() WHERE database_name = current_database()"
        " AND schema_name = 'marts' AND column_name = 'batch_ids'"
    ).fetchall()
    return {name for (name,) in rows}


def _kpi_long_sql(traced: set[str]) -> str:
    """Every KPI's mart unpivoted to (kpi, numerator, denominator, batch_ids)."""
    parts = []
    for kpi, spec in known_kpis().items():
        names = (kpi, spec["mart"], spec["numerator"], spec["denominator"])
        if not all(_IDENTIFIER.match(n) for n in names):  # YAML text becomes SQL here
            raise ValueError(f"warehouse/kpis.yaml: {kpi!r}: names must be snake_case")
        parts.append(
            f"SELECT plan_id, unit_code, domain, period, '{kpi}' AS kpi,"
            f" {spec['numerator']} AS numerator, {spec['denominator']} AS denominator,"
            f" {'batch_ids' if spec['mart'] in traced else '[]::VARCHAR[]'} AS batch_ids"
            f" FROM marts.{spec['mart']}"
        )
    return " UNION ALL ".join(parts)


def refresh_marts(con: duckdb.DuckDBPyConnection, plan_id: str) -> None:
    """Rebuild the plan's rows of every mart; the caller owns the transaction."""
    sync_scoring(con)
    for model in INTERMEDIATE_MODELS:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {model} AS {model_sql('intermediate', model)}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW kpi_long AS {_kpi_long_sql(_traced_marts(con))}")
    for model in MART_MODELS:
        con.execute(f"DELETE FROM marts.{model} WHERE plan_id = ?", [plan_id])
        con.execute(
            f"INSERT INTO marts.{model} BY NAME {model_sql('marts', model)}",
            {"plan_id": plan_id},
        )
