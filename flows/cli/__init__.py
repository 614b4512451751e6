"""The `plan06` command. Each command checks its arguments, calls one flow, and
prints what happened; the commands live in the modules beside this one and
import flows lazily, so `plan06 --help` is quick and nothing imports this package.
"""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli import deploy, ops, plans, reading, running
from flows.cli.common import Plan06Group
from flows.cli.files import files_app
from flows.cli.gateway import gateway_app
from flows.cli.sources import sources_app

app = typer.Typer(
    help="Run Đề án 06 coordination plans.",
    no_args_is_help=True,
    cls=Plan06Group,
    pretty_exceptions_show_locals=False,  # locals may hold settings and tokens
)
plans_app = typer.Typer(help="Plan files: check them.", no_args_is_help=True)
db_app = typer.Typer(help="The warehouse: its schema and its upkeep.", no_args_is_help=True)
app.add_typer(plans_app, name="plans")
app.add_typer(db_app, name="db")
app.add_typer(sources_app, name="sources")
app.add_typer(files_app, name="files")
app.add_typer(gateway_app, name="gateway")


@app.callback()
def main(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of a known error")
    ] = False,
) -> None:
    """Run Đề án 06 coordination plans (messages in PLAN06_LANGUAGE: vi, en)."""
    ctx.obj = {"debug": debug}


for _command in (running.run, reading.status, reading.report, running.notify, running.digest):
    app.command()(_command)
for _command in (
    running.backfill,
    running.export,
    ops.serve,
    deploy.pool,
    ops.setup,
    ops.watchdog,
    ops.simulate,
):
    app.command()(_command)
plans_app.command("check")(plans.plans_check)
plans_app.command("new")(plans.plans_new)
db_app.command("migrate")(plans.db_migrate)
db_app.command("maintain")(plans.db_maintain)

if __name__ == "__main__":
    app()
