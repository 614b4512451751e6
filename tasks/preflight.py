"""What a run of a plan would trip on later, found by `plan06 plans check` before any pull.

The schedule's cron and timezone; the partner's province code and that the
plan's area has communes (the same area query validation uses, on the seeded
units); for each source whose URL variable is unset, that the simulator
knows its province; for a real source, that the pseudonym key is set (staging
refuses to store citizen IDs without it).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
from prefect.client.schemas.schedules import CronSchedule
from pydantic import ValidationError

from tasks.load.plans import area_unit_codes
from tasks.load.pseudonym import MissingPseudonymKeyError, resolve_key
from tasks.plans import PlanSpec
from tasks.settings import Settings, env_value
from tasks.sources.specs import FileDropSource, HttpApiSource
from warehouse.db import migrate


def _schedule_problems(plan: PlanSpec) -> list[str]:
    problems = []
    try:
        ZoneInfo(plan.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"schedule.timezone: unknown time zone {plan.schedule.timezone!r}"
                        " (e.g. Asia/Ho_Chi_Minh)")  # fmt: skip
    try:
        CronSchedule(cron=plan.schedule.cron)
    except (ValidationError, ValueError) as exc:
        reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        problems.append(f"schedule.cron: {plan.schedule.cron!r} is not a cron expression:"
                        f" {reason}")  # fmt: skip
    return problems


def _area_problems(con: duckdb.DuckDBPyConnection, plan: PlanSpec) -> list[str]:
    code = plan.partner.unit_code
    (known,) = con.execute(
        "SELECT count(*) FROM core.admin_units WHERE unit_code = ? AND level = 'province'", [code]
    ).fetchone()
    if not known:
        return [f"partner.unit_code: {code!r} is not a province code of the administrative"
                " units (warehouse/seeds/)"]  # fmt: skip
    if not area_unit_codes(con, plan):
        return [f"partner.unit_code: province {code} has no communes in the administrative"
                " units: every row would be outside the plan's area"]  # fmt: skip
    return []


def _source_problems(plan: PlanSpec, settings: Settings, simulated: set[str]) -> list[str]:
    problems, real = [], False
    for name, source in plan.sources.items():
        where = source.url_env if isinstance(source, HttpApiSource) else source.root_env
        if env_value(where) is not None:
            real = True
        elif isinstance(source, HttpApiSource | FileDropSource) and (
            source.simulator_province not in simulated
        ):
            problems.append(
                f"sources.{name}.simulator_province: {where} is unset and the simulator does not"
                f" know {source.simulator_province!r} (it knows {', '.join(sorted(simulated))})"
            )
    if real:
        try:
            resolve_key(settings.pseudonym_key, demo=False)
        except MissingPseudonymKeyError as exc:
            problems.append(f"a source of this plan is real: {exc}")
    return problems


def preflight_problems(plan: PlanSpec, settings: Settings, simulated: set[str]) -> list[str]:
    """Every problem a run of `plan` would meet, as `field: what to change` lines.

    `simulated` are the provinces the bundled simulator serves."""
    con = duckdb.connect()
    try:
        migrate(con)  # an in-memory warehouse: the seeded units, nothing of the real one
        area = _area_problems(con, plan)
    finally:
        con.close()
    return _schedule_problems(plan) + area + _source_problems(plan, settings, simulated)
