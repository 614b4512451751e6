"""Plan files and the warehouse: `plans check`, `plans new`, `db migrate`, `db maintain`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import CliError, console, errors, prefect_console
from flows.cli.strings import say
from flows.plans import load_plans
from tasks.settings import load_settings


def plans_check() -> None:
    """Validate every plan file; exit 1 with file, field and reason on the first bad one."""
    # One function on purpose: further checks of the plan files are added here.
    from simulator.generator import PROVINCES
    from tasks.preflight import preflight_problems

    settings = load_settings()
    plans = load_plans(settings.plans_dir)  # PlanFileError: one sentence, exit 1
    failed = False
    for plan in plans.values():
        # then what a run would trip on: cron, zone, area, simulator province, pseudonym key
        if problems := preflight_problems(plan, settings, set(PROVINCES)):
            failed = True
            errors.print(f"[red]{say('error')}[/] {say('plan_would_fail', plan.id)}")
            for problem in problems:
                errors.print(f"  {problem}", markup=False, highlight=False, soft_wrap=True)
            continue
        counts = (len(plan.datasets), len(plan.targets), len(plan.task_groups))
        console.print(f"[green]ok[/] {say('plan_ok', plan.id, *counts)}")
    if failed:
        raise typer.Exit(code=1)


def plans_new(
    plan_id: Annotated[str, typer.Option("--id", prompt="Plan id (file name)")],
    name: Annotated[str, typer.Option(prompt="Plan name")],
    partner: Annotated[str, typer.Option(prompt="Partner province")],
    unit_code: Annotated[str, typer.Option(prompt="Partner GSO province code (2 digits)")],
    domain: Annotated[list[str], typer.Option(prompt="Domains (comma-separated)")],
    channel: Annotated[str, typer.Option(prompt="Slack channel id of the plan")],
    dataset: Annotated[list[str], typer.Option(prompt="Datasets (comma-separated kinds)")],
    province: Annotated[str, typer.Option(prompt="Simulator province (used when no URL is set)")],
    cron: Annotated[str, typer.Option(help="Schedule, cron in Asia/Ho_Chi_Minh")] = "0 7 * * 1",
    plans_dir: Annotated[Path | None, typer.Option(help="Where to write")] = None,
) -> None:
    """Scaffold a plan file (and a GX suite for a dataset without one), then check it."""
    from flows.scaffold import PlanAnswers, scaffold_plan

    settings = load_settings()
    answers = PlanAnswers(
        plan_id, name, partner, unit_code, _split(domain), channel, _split(dataset), province, cron
    )
    try:
        written = scaffold_plan(answers, plans_dir or settings.plans_dir, settings.expectations_dir)
    except (ValueError, FileExistsError) as exc:
        raise CliError(str(exc)) from exc
    for path in written:
        console.print(f"[green]{say('wrote')}[/] {path}")
    console.print(say("next_steps", plan_id))


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def db_migrate() -> None:
    """Create or upgrade the warehouse schema (what `plan06 setup` does for the warehouse)."""
    setup_warehouse()


def db_maintain(
    keep_days: Annotated[
        int | None,
        typer.Option(min=0, help="Days of snapshots kept (default PLAN06_LAKE_SNAPSHOT_DAYS)"),
    ] = None,
) -> None:
    """Compact the warehouse: DuckLake's small files merged, old snapshots expired."""
    prefect_console(verbose=False)
    from flows.maintain import maintain

    upkeep = maintain(keep_days=keep_days)
    if upkeep is None:
        console.print(say("maintained_file", load_settings().warehouse.describe()), markup=False)
        return
    b, a = upkeep.before, upkeep.after
    console.print(
        say("maintained", b.data_files, a.data_files, b.snapshots, a.snapshots,
            upkeep.files_deleted, a.awaiting_deletion),
        markup=False,
    )  # fmt: skip


def setup_warehouse() -> None:
    """Apply pending migrations and seeds to the configured backend; say what, DSN masked.

    The scoring and progress rules are written here too: left empty, the first
    two publishes on a fresh lake would each insert them (tasks/load/config_rows.py)."""
    from flows.store import writer
    from tasks.load.marts import sync_rules
    from warehouse.db import retry_conflicts
    from warehouse.db import setup_warehouse as apply

    settings = load_settings()
    applied = apply(settings)
    with writer(settings) as con:
        retry_conflicts(sync_rules, con, what="setup: scoring and progress rules")
    shown = ", ".join(applied) if applied else say("up_to_date")
    console.print(say("migrated", settings.warehouse.describe(), shown), markup=False)
