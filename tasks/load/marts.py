"""Refresh a plan's marts from core (SQL models in warehouse/models/marts)."""

from __future__ import annotations

import re

import duckdb

from tasks.plans import known_kpis
from warehouse.models import model_sql

MART_MODELS = ("dossier_kpis", "target_progress")  # in dependency order
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _kpi_long_sql() -> str:
    """Every KPI's mart unpivoted to (kpi, numerator, denominator), per kpis.yaml."""
    parts = []
    for kpi, spec in known_kpis().items():
        names = (kpi, spec["mart"], spec["numerator"], spec["denominator"])
        if not all(_IDENTIFIER.match(n) for n in names):  # YAML text becomes SQL here
            raise ValueError(f"warehouse/kpis.yaml: {kpi!r}: names must be snake_case")
        parts.append(
            f"SELECT plan_id, unit_code, domain, period, '{kpi}' AS kpi,"
            f" {spec['numerator']} AS numerator, {spec['denominator']} AS denominator"
            f" FROM marts.{spec['mart']}"
        )
    return " UNION ALL ".join(parts)


def refresh_marts(con: duckdb.DuckDBPyConnection, plan_id: str) -> None:
    """Rebuild the plan's rows of every mart; the caller owns the transaction."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW kpi_long AS {_kpi_long_sql()}")
    for model in MART_MODELS:
        con.execute(f"DELETE FROM marts.{model} WHERE plan_id = ?", [plan_id])
        con.execute(
            f"INSERT INTO marts.{model} BY NAME {model_sql('marts', model)}",
            {"plan_id": plan_id},
        )
