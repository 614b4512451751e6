"""The commands that read the warehouse: status (no flow, read-only) and report."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from flows.cli.common import console, prefect_console, reading
from flows.cli.table import print_progress
from tasks.settings import load_settings

Wait = Annotated[float, typer.Option(help="Seconds to wait for a busy warehouse")]


def status(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable")] = False,
    wait: Wait = 30,
) -> None:
    """Each plan's targets at the latest period: value, target, due date, on track."""
    from tasks.status import plan_status

    with reading(load_settings(), wait) as con:
        plans = plan_status(con)
    if as_json:
        sys.stdout.write(json.dumps({"plans": plans}, ensure_ascii=False, indent=2) + "\n")
    else:
        print_progress(console, plans)


def report(
    wait: Wait = 30,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs")] = False,
) -> None:
    """Rewrite the HTML reports under data/reports/ from the warehouse as it is."""
    from flows.cli.common import read_only

    settings = load_settings()
    read_only(settings, wait).close()  # a clear sentence before any flow starts
    prefect_console(verbose)
    from flows.reporting import rewrite_reports

    for path in rewrite_reports():
        console.print(path.resolve().as_uri())
