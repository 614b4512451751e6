"""What every `plan06` command shares: the consoles, the known errors and how
they are told, Prefect's console logs (quiet unless -v), and read-only opening."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
import duckdb
import typer
from rich.console import Console
from typer.core import TyperGroup

from flows.cli.strings import say
from flows.guards import SliceBusyError
from flows.plans import PlanFileError
from tasks.settings import Settings, WarehouseConfigError
from tasks.sources.http_api.errors import SourceError
from warehouse.db import (
    SchemaNotReadyError,
    WarehouseLockedError,
    WarehouseUnavailableError,
    open_reader,
)
from warehouse.extensions import ExtensionMismatchError

# Wide enough for the progress table when output is not a terminal (make, CI, logs).
console = Console(width=None if sys.stdout.isatty() else 140)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 140)


class CliError(Exception):
    """A known failure: its message is one sentence (what, why, what to do)."""


# Failures a user can fix from the message alone: no traceback unless --debug.
KNOWN_ERRORS: tuple[type[BaseException], ...] = (
    CliError,
    WarehouseLockedError,
    SchemaNotReadyError,  # a DuckLake not set up (or behind): run `plan06 setup`
    WarehouseUnavailableError,  # the DuckLake catalog unreachable (DSN masked)
    WarehouseConfigError,  # PLAN06_WAREHOUSE / PLAN06_LAKE_DATA_PATH unusable
    ExtensionMismatchError,  # duckdb and its extension packages pinned apart
    PlanFileError,
    SourceError,  # a source the plan describes wrongly, or that refuses: the sentence says which
    SliceBusyError,  # another run holds the same (plan, dataset, period) slice too long
)


def fail(message: str) -> typer.Exit:
    """Print the sentence on stderr; the caller raises the returned Exit (code 1)."""
    errors.print(say("error"), style="red", end=" ")
    errors.print(message, markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def debugging(ctx: click.Context | None = None) -> bool:
    ctx = ctx or click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(os.environ.get("PLAN06_DEBUG")) or bool(root and (root.obj or {}).get("debug"))


class Plan06Group(TyperGroup):
    """Every command runs inside this: a known error is one sentence and exit 1;
    with --debug (or PLAN06_DEBUG=1) the traceback is shown as well."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KNOWN_ERRORS as exc:
            if debugging(ctx):
                raise
            raise fail(_sentence(exc)) from exc


def _sentence(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if text.endswith((".", "?", "!")) else text + "."


def prefect_console(verbose: bool) -> None:
    """Before a command runs a flow: without PREFECT_API_URL, its ephemeral API
    started (plan06's timeout, its own home, orphans stopped). Then quiet by
    default: Prefect's console handler shows nothing, the command prints its
    own summary; -v shows Prefect's logs. The API still gets every log line
    (another handler), so the Prefect UI is unchanged."""
    from flows.prefect_home import use_ephemeral_prefect
    from tasks.settings import load_settings

    use_ephemeral_prefect(load_settings().data_dir)
    import prefect.main  # noqa: F401  (it sets up Prefect's logging: adjust after, not before)
    from prefect.logging.handlers import PrefectConsoleHandler

    level = logging.INFO if verbose or debugging() else logging.CRITICAL + 1
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, PrefectConsoleHandler):
                handler.setLevel(level)


def read_only(settings: Settings, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the warehouse to read: a DuckLake snapshot at once; the single file
    is held by a run only for the seconds of each write step, so a reader
    waits for a gap before giving up."""
    if not settings.warehouse.is_lake and not settings.warehouse_path.exists():
        raise CliError(say("no_warehouse", settings.warehouse_path))
    try:
        return open_reader(settings, wait_seconds)
    except WarehouseLockedError as exc:
        raise CliError(say("locked", settings.warehouse_path, int(wait_seconds))) from exc


def warehouse_exists(settings: Settings) -> bool:
    """Whether there is anything to read (a lake is assumed set up: open_reader says if not)."""
    return settings.warehouse.is_lake or settings.warehouse_path.exists()


@contextmanager
def reading(settings: Settings, wait_seconds: float) -> Iterator[duckdb.DuckDBPyConnection]:
    con = read_only(settings, wait_seconds)
    try:
        yield con
    finally:
        con.close()


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
        console.print(f"[dim]{say('simulator', handle.url)}[/]")
        try:
            yield
        finally:
            os.environ.pop(SIMULATOR_URL_ENV, None)
            os.environ.pop(SIMULATOR_TOKEN_ENV, None)
