"""Refresh a plan's marts from core (SQL models in warehouse/models/marts).

The intermediate models (warehouse/models/intermediate) are computed first,
for the plan only, into one temporary table: int_dossier_flag_counts, the
dossiers of int_dossiers_flagged counted per combination of units and flags,
which the two dossier marts sum. As a view, the flags' unit lookup over every
core dossier ran once per mart (at 1 M rows most of a publish); as a table of
one row per dossier it was written whole (13 s of a 10 M-row publish with the
marts over it, 4 s now). Scoring weights are reloaded from their YAML; then
each mart's rows of the plan are replaced, in the caller's transaction. Every
mart row carries the batch ids behind it (batch_ids).
"""

from __future__ import annotations

import hashlib
import re

import duckdb

from tasks.load.progress_config import PROGRESS_FILE, sync_progress
from tasks.load.scoring import SCORING_FILE, sync_scoring
from tasks.plans import KPIS_FILE, known_kpis
from warehouse.models import MODELS_DIR, model_sql

# int_dossiers_flagged (one row per dossier) is read by the counts only: it is
# their CTE, filtered on the plan, and never written
FLAGGED_MODEL, COUNTS_MODEL = "int_dossiers_flagged", "int_dossier_flag_counts"
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
    "source_sync_lag",
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


def marts_inputs(con: duckdb.DuckDBPyConnection, plan_id: str) -> str:
    """Digest of what the plan's marts are computed from: definitions and latest batch."""
    digest = hashlib.sha256()
    for path in [*sorted(MODELS_DIR.glob("[im]*/*.sql")), SCORING_FILE, PROGRESS_FILE, KPIS_FILE]:
        digest.update(path.read_bytes())
    # the plan's definition (targets, units) as stored, and its newest batch:
    # publishing is the only way core facts change
    state = con.execute(
        "SELECT (SELECT definition FROM core.plans WHERE plan_id = $plan)::VARCHAR,"
        " (SELECT count(*) || '@' || max(finished_at) FROM ops.batches WHERE plan_id = $plan)",
        {"plan": plan_id},
    ).fetchone()
    digest.update(repr(state).encode())
    return digest.hexdigest()


def marts_are_current(con: duckdb.DuckDBPyConnection, plan_id: str) -> bool:
    """True when the plan's marts were computed from exactly today's inputs."""
    row = con.execute(
        "SELECT inputs FROM ops.mart_refreshes WHERE plan_id = ?", [plan_id]
    ).fetchone()
    return row is not None and row[0] == marts_inputs(con, plan_id)


def sync_rules(con: duckdb.DuckDBPyConnection) -> bool:
    """The scoring and progress rules from their YAML (caller's transaction); True if written."""
    scoring = sync_scoring(con)
    return sync_progress(con) or scoring


def refresh_marts(con: duckdb.DuckDBPyConnection, plan_id: str) -> None:
    """Rebuild the plan's rows of every mart; the caller owns the transaction."""
    sync_rules(con)
    con.execute(  # the flags filter on the plan: computed for it only
        f"CREATE OR REPLACE TEMP TABLE {COUNTS_MODEL} AS WITH {FLAGGED_MODEL} AS"
        f" (SELECT * FROM ({model_sql('intermediate', FLAGGED_MODEL)}) WHERE plan_id = $plan_id)"
        f" {model_sql('intermediate', COUNTS_MODEL)}",
        {"plan_id": plan_id},
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW kpi_long AS {_kpi_long_sql(_traced_marts(con))}")
    for model in MART_MODELS:
        con.execute(f"DELETE FROM marts.{model} WHERE plan_id = ?", [plan_id])
        con.execute(
            f"INSERT INTO marts.{model} BY NAME {model_sql('marts', model)}",
            {"plan_id": plan_id},
        )
    # freed now; on an error the rollback takes the temp tables with it
    con.execute(f"DROP TABLE {COUNTS_MODEL}")
    con.execute("DELETE FROM ops.mart_refreshes WHERE plan_id = ?", [plan_id])
    con.execute(
        "INSERT INTO ops.mart_refreshes VALUES (?, ?, current_localtimestamp())",
        [plan_id, marts_inputs(con, plan_id)],
    )
