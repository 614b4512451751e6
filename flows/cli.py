"""The `plan06` command: run plans, check plan files, read progress, run the simulator."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from flows import cli_files, cli_ops
from flows.console import print_progress
from flows.periods import last_periods, parse_period
from flows.plans import PlanFileError, load_plans
from flows.prefect_home import use_ephemeral_prefect
from flows.sources_cli import sources_app
from tasks.settings import load_settings

app = typer.Typer(help="Run Đề án 06 coordination plans.", no_args_is_help=True)
plans_app = typer.Typer(help="Plan files: check them.", no_args_is_help=True)
db_app = typer.Typer(help="The DuckDB warehouse.", no_args_is_help=True)
app.add_typer(plans_app, name="plans")
app.add_typer(db_app, name="db")
app.add_typer(sources_app, name="sources")
# Wide enough for the progress table when output is not a terminal (make, CI, logs).
console = Console(width=None if sys.stdout.isatty() else 140)
errors = Console(stderr=True)


@contextmanager
def embedded_simulator(
    enabled: bool, faults: str | None = None, periods: list[str] | None = None
) -> Iterator[None]:
    """Start the bundled simulator for plan sources whose URL variable is unset;
    `faults` switches on its API fault modes, `periods` are the months of file drops."""
    from tasks.sources.http_api import SIMULATOR_TOKEN_ENV, SIMULATOR_URL_ENV

    if not enabled or os.environ.get(SIMULATOR_URL_ENV):
        yield
        return
    from simulator.faults import FaultPlan, parse_modes
    from simulator.server import start_in_thread

    with start_in_thread(faults=FaultPlan(parse_modes(faults)), drop_periods=periods) as handle:
        os.environ[SIMULATOR_URL_ENV], os.environ[SIMULATOR_TOKEN_ENV] = handle.url, handle.token
        console.print(f"[dim]Province simulator on {handle.url}[/]")
        try:
            yield
        finally:
            os.environ.pop(SIMULATOR_URL_ENV, None)
            os.environ.pop(SIMULATOR_TOKEN_ENV, None)


def _fail(message: str) -> typer.Exit:
    errors.print("error:", style="red", end=" ")
    errors.print(message, markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


@app.command()
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
) -> None:
    """Pull, validate, publish and report plans, then print the progress table."""
    from simulator.faults import parse_modes

    try:
        chosen_periods = period or last_periods(periods)
        for p in chosen_periods:
            parse_period(p)
        parse_modes(simulator_faults)
        load_plans(load_settings().plans_dir)
    except (ValueError, PlanFileError) as exc:
        raise _fail(str(exc)) from exc
    use_ephemeral_prefect(load_settings().data_dir)  # timeout, own home, orphans stopped
    from flows.sync_all import sync_all

    with embedded_simulator(simulator, simulator_faults, chosen_periods):
        sync_all(periods=chosen_periods, plan_ids=plan or None)
    status(as_json=False)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable")] = False,
) -> None:
    """Each plan's targets at the latest period: value, target, due date, on track."""
    from tasks.status import plan_status
    from warehouse.db import WarehouseLockedError, connect

    settings = load_settings()
    if not settings.warehouse_path.exists():
        raise _fail(f"{settings.warehouse_path} does not exist yet: run `plan06 run` first")
    try:
        con = connect(settings.warehouse_path, read_only=True)
    except WarehouseLockedError as exc:  # a run is publishing: say so, no traceback
        raise _fail(str(exc)) from exc
    try:
        plans = plan_status(con)
    finally:
        con.close()
    if as_json:
        sys.stdout.write(json.dumps({"plans": plans}, ensure_ascii=False, indent=2) + "\n")
    else:
        print_progress(console, plans)


@app.command()
def notify() -> None:
    """Deliver pending Slack messages from the outbox (dry run without SLACK_BOT_TOKEN)."""
    from prefect import flow

    from flows.delivery import deliver_outbox

    flow(name="notify")(deliver_outbox)(load_settings())


@app.command()
def digest() -> None:
    """Queue and send this week's digest for leads (PLAN06_DIGEST_CHANNEL), with its chart."""
    from flows.digest import leads_digest

    try:
        leads_digest()
    except ValueError as exc:
        raise _fail(str(exc)) from exc


@app.command()
def simulate(
    host: str = "127.0.0.1",
    port: int = 8765,
    seed: int = 0,
    token: Annotated[str | None, typer.Option(help="Accepted bearer token")] = None,
) -> None:
    """Run the province simulator alone (Ctrl-C to stop)."""
    from simulator.server import DEFAULT_TOKEN, serve

    console.print(f"Province simulator on http://{host}:{port}/<province>/api/v1/dossiers")
    serve(host=host, port=port, token=token or DEFAULT_TOKEN, seed=seed, scale=1.0)


@plans_app.command("check")
def plans_check() -> None:
    """Validate every plan file; exit 1 with file, field and reason on the first bad one."""
    settings = load_settings()
    try:
        plans = load_plans(settings.plans_dir)
    except PlanFileError as exc:
        raise _fail(str(exc)) from exc
    from simulator.generator import PROVINCES
    from tasks.preflight import preflight_problems

    failed = False
    for plan in plans.values():
        if problems := preflight_problems(plan, settings, set(PROVINCES)):
            failed = True
            errors.print(f"[red]error[/] {plan.id}: a run would fail:")
            for problem in problems:
                errors.print(f"  {problem}", markup=False, highlight=False, soft_wrap=True)
            continue
        console.print(
            f"[green]ok[/] {plan.id}: {len(plan.datasets)} dataset(s), "
            f"{len(plan.targets)} target(s), {len(plan.task_groups)} task group(s)"
        )
    if failed:
        raise typer.Exit(code=1)


@db_app.command("migrate")
def db_migrate() -> None:
    """Create or upgrade the warehouse schema."""
    from warehouse.db import connect, migrate

    settings = load_settings()
    con = connect(settings.warehouse_path)
    try:
        applied = migrate(con)
    finally:
        con.close()
    console.print(f"{settings.warehouse_path}: applied {applied or 'nothing (up to date)'}")


# Operating commands (deployments, backfills, reports, watchdog): flows/cli_ops.py.
for _command in (cli_ops.serve, cli_ops.setup, cli_ops.backfill, cli_ops.report):
    app.command()(_command)
app.command("watchdog")(cli_ops.watchdog)
plans_app.command("new")(cli_ops.plans_new)
app.add_typer(cli_files.files_app, name="files")

if __name__ == "__main__":
    app()
