"""`plan06 files ...`: the file-drop ledger, from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli.common import console
from flows.periods import parse_period
from tasks.settings import load_settings

files_app = typer.Typer(help="File drops: have refused files read again.", no_args_is_help=True)


@files_app.command("retry")
def retry(
    plan: str,
    dataset: str,
    period: str,
    run: Annotated[bool, typer.Option(help="Rerun the slice now (else: at the next run)")] = True,
) -> None:
    """Read the slice's refused files again (after fixing the plan's mapping, say)."""
    from tasks.sources.file_drop.retry import mark_for_retry
    from warehouse.db import open_writer, transaction

    try:
        parse_period(period)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    con = open_writer(load_settings())
    try:
        with transaction(con):
            marked = mark_for_retry(con, plan, dataset, period)
    finally:
        con.close()
    if not marked:
        console.print(f"{plan}/{dataset} {period}: no refused file in the ledger, nothing to do")
        raise typer.Exit(code=1)
    for name, reason in marked:
        console.print(f"retry {name} (was: {reason or 'its batch was rejected'})")
    if run:
        from flows.cli.running import run as run_plans  # the path of `plan06 run PLAN --period`

        run_plans(plan=[plan], period=[period], periods=1, simulator=True, simulator_faults=None)
