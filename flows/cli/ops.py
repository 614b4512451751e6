"""The operating commands of `plan06`: serve, setup, watchdog, simulate."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli.common import console, prefect_console
from flows.cli.deploy import INSECURE_HELP, check_api
from flows.cli.strings import say


def serve(
    limit: Annotated[int | None, typer.Option(help="Most runs at once in this process")] = None,
    watchdog_every: Annotated[int, typer.Option(help="Seconds between watchdog runs")] = 30,
    insecure: Annotated[bool, typer.Option("--insecure", help=INSECURE_HELP)] = False,
    check: Annotated[bool, typer.Option("--check", help="Check the API, then exit")] = False,
) -> None:
    """Serve the scheduled plans, rerun, backfill and watchdog (needs PREFECT_API_URL
    of a server with authentication, unless --insecure)."""
    check_api("plan06 serve", insecure)
    if check:
        return
    from flows.serve import serve_plans

    serve_plans(limit=limit, watchdog_every=watchdog_every)


def setup() -> None:
    """Bring the warehouse schema up to date (migrations, seeds: once, not on
    every open), then, with PREFECT_API_URL, create the slice, plan and outbox guards."""
    from prefect.settings import PREFECT_API_URL

    from flows.cli.plans import setup_warehouse
    from flows.guards import (
        GUARD_BUCKETS,
        GUARD_PREFIX,
        PLAN_GUARD_BUCKETS,
        PLAN_GUARD_PREFIX,
        ensure_guard_limits,
    )

    setup_warehouse()
    if not PREFECT_API_URL.value():  # the environment or the active Prefect profile
        return  # no server: limits in a throwaway ephemeral API would guard nothing
    ensure_guard_limits()
    console.print(say("limit", f"[bold]{GUARD_PREFIX}000…{GUARD_BUCKETS - 1:03d}[/]"))
    last = PLAN_GUARD_BUCKETS - 1
    console.print(say("plan_limit", f"[bold]{PLAN_GUARD_PREFIX}000…{last:03d}[/]"))


def watchdog(
    stale_after: Annotated[int, typer.Option(help="Seconds without heartbeat")] = 60,
) -> None:
    """Once: mark plan06 runs without a recent heartbeat Crashed, and alert."""
    prefect_console(verbose=False)
    from flows.watchdog import watchdog as watchdog_flow

    crashed = watchdog_flow(stale_after_seconds=stale_after)
    console.print(say("crashed", ", ".join(crashed) or say("none")))


def simulate(
    host: str = "127.0.0.1",
    port: int = 8765,
    seed: int = 0,
    token: Annotated[str | None, typer.Option(help="Accepted bearer token")] = None,
) -> None:
    """Run the province simulator alone (Ctrl-C to stop)."""
    from simulator.server import DEFAULT_TOKEN, serve

    console.print(say("simulator", f"http://{host}:{port}/<province>/api/v1/dossiers"))
    serve(host=host, port=port, token=token or DEFAULT_TOKEN, seed=seed, scale=1.0)
