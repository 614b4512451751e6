"""Plan files -> core dimensions (plans, task groups, targets), per run."""

from __future__ import annotations

import duckdb

from tasks.plans import PlanSpec
from warehouse.db import transaction

# The area of a plan: the partner province's communes as signed, and every
# unit they became (crosswalk of 01/07/2025), so data with old or new codes
# both belong to the plan.
AREA_UNITS_SQL = """
WITH RECURSIVE area(unit_code) AS (
    SELECT unit_code FROM core.admin_units
    WHERE level = 'commune' AND province_code = $partner
    UNION
    SELECT u.successor_code FROM core.admin_units AS u
    JOIN area AS a ON u.unit_code = a.unit_code
    WHERE u.successor_code IS NOT NULL
)
SELECT unit_code FROM area ORDER BY unit_code
"""


def sync_plan_dimensions(con: duckdb.DuckDBPyConnection, plan: PlanSpec) -> None:
    """Replace the plan's rows in core.plans, core.task_groups, core.targets."""
    with transaction(con):
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
                plan.model_dump_json(),
            ],
        )
        con.executemany(
            "INSERT INTO core.task_groups VALUES (?, ?, ?, ?, ?)",
            [
                [plan.id, g.id, g.name, g.slack_channel, g.slack_usergroup_id]
                for g in plan.task_groups
            ],
        )
        con.executemany(
            "INSERT INTO core.targets VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[plan.id, t.id, t.kpi, t.scope, t.value, t.due, t.task_group] for t in plan.targets],
        )


def area_unit_codes(con: duckdb.DuckDBPyConnection, plan: PlanSpec) -> list[str]:
    """Unit codes (old and new) of the plan's area, for validation."""
    rows = con.execute(AREA_UNITS_SQL, {"partner": plan.partner.unit_code}).fetchall()
    return [row[0] for row in rows]
