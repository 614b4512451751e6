"""Plan files -> core dimensions (plans, task groups, targets), per run."""

from __future__ import annotations

import duckdb

from tasks.plans import PlanSpec
from warehouse.db import transaction

# The area of a plan: the communes of the partner province as they were on
# the signing date, and every unit the dataset maps them to on 01/07/2025 (all
# parts of a split commune), so data with old or new codes both belong to it.
AREA_UNITS_SQL = """
WITH signed AS (
    SELECT unit_code FROM core.admin_unit_versions
    WHERE level = 'commune' AND province_code = $partner
    AND valid_from <= $signed AND coalesce(valid_to >= $signed, true)
)
SELECT unit_code FROM signed
UNION
SELECT l.new_code FROM core.admin_unit_links AS l
INNER JOIN signed AS s ON l.old_code = s.unit_code AND l.level = 'commune'
ORDER BY unit_code
"""


def sync_plan_dimensions(con: duckdb.DuckDBPyConnection, plan: PlanSpec) -> None:
    """Replace the plan's rows in core.plans, core.task_groups, core.targets."""
    with transaction(con):
        write_plan_dimensions(con, plan)


def write_plan_dimensions(con: duckdb.DuckDBPyConnection, plan: PlanSpec) -> bool:
    """The plan's dimension rows as its file says, in the caller's transaction.

    Nothing is written when core.plans already holds exactly this definition
    (every run but the first after an edit): on DuckLake each write is files
    and a snapshot. The caller holds the plan's guard (flows/guards.py), so no
    other run of the plan writes between this read and the commit. True if written."""
    definition = plan.model_dump_json()
    stored = con.execute(
        "SELECT count(*), any_value(definition)::VARCHAR FROM core.plans WHERE plan_id = ?",
        [plan.id],
    ).fetchone()
    if stored == (1, definition):
        return False
    for table in ("core.targets", "core.task_groups", "core.plans"):
        con.execute(f"DELETE FROM {table} WHERE plan_id = ?", [plan.id])
    con.execute(
        "INSERT INTO core.plans VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            plan.id,
            plan.name,
            plan.partner.name,
            plan.partner.unit_code,
            plan.signed_on,
            plan.domains,
            plan.slack_channel,
            definition,
        ],
    )
    con.executemany(
        "INSERT INTO core.task_groups VALUES (?, ?, ?, ?, ?)",
        [[plan.id, g.id, g.name, g.slack_channel, g.slack_usergroup_id] for g in plan.task_groups],
    )
    con.executemany(
        "INSERT INTO core.targets VALUES (?, ?, ?, ?, ?, ?, ?)",
        [[plan.id, t.id, t.kpi, t.scope, t.value, t.due, t.task_group] for t in plan.targets],
    )
    return True


def area_unit_codes(con: duckdb.DuckDBPyConnection, plan: PlanSpec) -> list[str]:
    """Unit codes (old and new) of the plan's area, for validation."""
    params = {"partner": plan.partner.unit_code, "signed": plan.signed_on}
    rows = con.execute(AREA_UNITS_SQL, params).fetchall()
    return [row[0] for row in rows]
