"""The operating commands of `plan06` (registered in flows/cli.py): serve, setup,
backfill, report, watchdog, and `plans new`."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows.plans import PlanFileError, load_plans
from tasks.settings import load_settings

console = Console(width=None if sys.stdout.isatty() else 140)
errors = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    errors.print("error:", style="red", end=" ")
    errors.print(message, markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def serve(
    limit: Annotated[int | None, typer.Option(help="Most runs at once in this process")] = None,
    watchdog_every: Annotated[int, typer.Option(help="Seconds between watchdog runs")] = 30,
) -> None:
    """Serve the scheduled plans, rerun, backfill and watchdog (needs PREFECT_API_URL)."""
    from flows.serve import serve_plans

    serve_plans(limit=limit, watchdog_every=watchdog_every)


def setup() -> None:
    """Create what the Prefect API needs: the DuckDB writer concurrency limit."""
    from flows.writer import WRITER_LIMIT, ensure_writer_limit

    ensure_writer_limit()
    console.print(f"global concurrency limit [bold]{WRITER_LIMIT}[/] = 1 (one DuckDB writer)")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def backfill(
    plan: Annotated[str, typer.Argument(help="Plan id")],
    first: Annotated[str, typer.Option("--from", help="First month, YYYY-MM")],
    last: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM")],
    dry_run: Annotated[bool, typer.Option(help="Only say what would run")] = False,
    force: Annotated[bool, typer.Option(help="Rerun months already published")] = False,
) -> None:
    """Run a plan for every month of a range; months already published are skipped."""
    from flows.backfill import backfill_steps, published_now

    settings = load_settings()
    try:
        spec = load_plans(settings.plans_dir)[plan]
        steps = backfill_steps(published_now(settings, spec), first, last, force)
    except KeyError as exc:
        raise _fail(
            f"unknown plan {plan!r}; known: {', '.join(load_plans(settings.plans_dir))}"
        ) from exc
    except (ValueError, PlanFileError) as exc:
        raise _fail(str(exc)) from exc
    for step in steps:
        console.print(f"{plan} {step.period}: {'would ' if dry_run else ''}{step.action}")
    if not dry_run:
        _run_steps(plan, [s.period for s in steps if s.action == "run"])


def _run_steps(plan: str, periods: list[str]) -> None:
    from flows.cli import embedded_simulator, notify
    from flows.sync_plan import sync_plan

    with embedded_simulator(True), _progress() as bar:
        task = bar.add_task(f"backfill {plan}", total=len(periods))
        for period in periods:
            bar.update(task, description=f"backfill {plan} {period}")
            sync_plan(plan, period, deliver=False)
            bar.advance(task)
    notify()


def report() -> None:
    """Rewrite the HTML reports under data/reports/ from the warehouse as it is."""
    from tasks.report.html import write_reports
    from warehouse.db import connect

    settings = load_settings()
    if not settings.warehouse_path.exists():
        raise _fail(f"{settings.warehouse_path} does not exist yet: run `plan06 run` first")
    con = connect(settings.warehouse_path, read_only=True)
    try:
        plans = list(load_plans(settings.plans_dir).values())
        paths = write_reports(con, plans, settings.reports_dir, datetime.now())
    finally:
        con.close()
    for path in [paths.portfolio, paths.review, *paths.plans.values()]:
        console.print(path.resolve().as_uri())


def watchdog(
    stale_after: Annotated[int, typer.Option(help="Seconds without heartbeat")] = 60,
) -> None:
    """Once: mark plan06 runs without a recent heartbeat Crashed, and alert."""
    from flows.watchdog import watchdog as watchdog_flow

    crashed = watchdog_flow(stale_after_seconds=stale_after)
    console.print(f"crashed: {', '.join(crashed) or 'none'}")


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
    except (ValueError, PlanFileError, FileExistsError) as exc:
        raise _fail(str(exc)) from exc
    for path in written:
        console.print(f"[green]wrote[/] {path}")
    console.print("Edit the targets, then: plan06 plans check && plan06 run " + plan_id)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]
