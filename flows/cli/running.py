"""The commands that run flows: run, backfill, notify, digest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import (
    CliError,
    console,
    embedded_simulator,
    prefect_console,
    reading,
    warehouse_exists,
)
from flows.cli.strings import say
from flows.periods import last_periods, parse_period, period_range
from flows.plans import PlanSpec, load_plans
from tasks.settings import load_settings

Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs")]


def known_plans(ids: list[str]) -> dict[str, PlanSpec]:
    """The plan files; a CliError naming the known ids when one of `ids` is not among them."""
    plans = load_plans(load_settings().plans_dir)
    unknown = [i for i in ids if i not in plans]
    if unknown:
        raise CliError(say("unknown_plan", ", ".join(map(repr, unknown)), ", ".join(plans)))
    return plans


def _periods(chosen: list[str]) -> list[str]:
    try:
        for p in chosen:
            parse_period(p)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    return chosen


def run(
    plan: Annotated[
        list[str] | None, typer.Argument(help="Plan ids; all active plans if none")
    ] = None,
    period: Annotated[list[str] | None, typer.Option(help="YYYY-MM; repeatable")] = None,
    periods: Annotated[int, typer.Option(help="Number of past months when no --period")] = 3,
    simulator: Annotated[
        bool, typer.Option(help="Serve unset plan sources from the simulator")
    ] = True,
    simulator_faults: Annotated[
        str | None,
        typer.Option(help="Simulator API faults: 'all' (every recoverable mode) or a list"),
    ] = None,
    verbose: Verbose = False,
) -> None:
    """Pull, validate, publish and report plans, then print each plan's progress."""
    from simulator.faults import parse_modes

    chosen_periods = _periods(period or last_periods(periods))
    try:
        parse_modes(simulator_faults)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    known_plans(plan or [])
    prefect_console(verbose)  # the ephemeral API too: timeout, own home, orphans stopped
    from flows.cli.reading import status
    from flows.sync_all import sync_all

    with embedded_simulator(simulator, simulator_faults, chosen_periods):
        sync_all(periods=chosen_periods, plan_ids=plan or None)
    status(as_json=False)


def backfill(
    plan: Annotated[str, typer.Argument(help="Plan id")],
    first: Annotated[str, typer.Option("--from", help="First month, YYYY-MM")],
    last: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM")],
    dry_run: Annotated[bool, typer.Option(help="Only say what would run")] = False,
    force: Annotated[bool, typer.Option(help="Rerun months already published")] = False,
    wait: Annotated[float, typer.Option(help="Seconds to wait for a busy warehouse")] = 30,
    verbose: Verbose = False,
) -> None:
    """Run a plan for every month of a range (the backfill flow); published months are skipped."""
    from flows.backfill import backfill_steps, published_periods

    spec = known_plans([plan])[plan]
    _periods([first, last])
    settings = load_settings()
    if dry_run:
        published: set[str] = set()
        if warehouse_exists(settings):
            with reading(settings, wait) as con:
                published = published_periods(con, spec)
        try:
            steps = backfill_steps(published, first, last, force)
        except ValueError as exc:
            raise CliError(str(exc)) from exc
        for step in steps:
            console.print(f"{plan} {step.period}: {say('would')}{say(step.action)}")
        return
    prefect_console(verbose)
    from flows.backfill import backfill as backfill_flow

    with embedded_simulator(True, periods=period_range(first, last)):
        done = backfill_flow(plan, first, last, force=force)
    for period, action in done.items():
        console.print(say("backfilled", plan, period, say(action)))


def notify(verbose: Verbose = False) -> None:
    """Deliver pending Slack messages from the outbox (dry run without SLACK_BOT_TOKEN)."""
    prefect_console(verbose)
    from flows.delivery import deliver

    report = deliver()
    if isinstance(report, int):
        console.print(say("dry_run_sent", report))
    else:
        console.print(say("delivered", report.sent, report.updated, report.failed))


def digest(verbose: Verbose = False) -> None:
    """Queue and send this week's digest for leads (PLAN06_DIGEST_CHANNEL), with its chart."""
    if not load_settings().digest_channel:
        raise CliError(say("no_digest_channel"))
    prefect_console(verbose)
    from flows.digest import leads_digest

    console.print(say("digest_queued" if leads_digest() else "digest_same"))


def export(
    plan: Annotated[str, typer.Argument(help="Plan id")],
    period: Annotated[str | None, typer.Option(help="YYYY-MM; the last full month if none")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the .xlsx")] = None,
    verbose: Verbose = False,
) -> None:
    """Write the plan's XLSX workbook for a period: targets, KPIs per unit, 766, quarantine."""
    from flows.cli.common import read_only

    known_plans([plan])
    chosen = _periods([period or last_periods(1)[0]])[0]
    read_only(load_settings(), 30).close()  # a clear sentence if there is none
    prefect_console(verbose)
    from flows.export import export_plan

    console.print(export_plan(plan, chosen, str(out) if out else None).resolve().as_uri())
