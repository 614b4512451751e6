"""The deployment commands' safety check, and `plan06 pool` (the locked work pool)."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli.common import CliError, console

INSECURE_HELP = "Skip the authentication check of the Prefect API (a local trial only)"


def check_api(what: str, insecure: bool) -> None:
    """Stop with one sentence unless the Prefect API authenticates its callers."""
    from flows.api_auth import InsecureApiError, require_authenticated_api

    if insecure:
        console.print(f"[yellow]{what}: --insecure, the Prefect API is not checked[/]")
        return
    try:
        url = require_authenticated_api(what)
    except InsecureApiError as exc:
        raise CliError(str(exc)) from exc
    console.print(f"[dim]{what}: the Prefect API at {url} requires authentication[/]")


def pool(
    name: Annotated[str, typer.Option(help="Work pool name")] = "plan06",
    insecure: Annotated[bool, typer.Option("--insecure", help=INSECURE_HELP)] = False,
) -> None:
    """Create or update the process work pool with the locked job template
    (deploy/work-pool-template.json: a run cannot override command, env, working_dir)."""
    check_api("plan06 pool", insecure)
    from flows.work_pool import LOCKED, apply_pool

    apply_pool(name)
    console.print(f"work pool [bold]{name}[/]: locked ({', '.join(LOCKED)} cannot be overridden)")
