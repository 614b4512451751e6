"""`plan06 gateway`: the leads' trigger gateway (flows/gateway), and `hash-password`
that makes the stored form of a lead's password for PLAN06_GATEWAY_USERS."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from flows.cli.common import CliError, console
from flows.cli.deploy import INSECURE_HELP, check_api

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MIN_PASSWORD = 12
gateway_app = typer.Typer(help="The leads' trigger gateway: rerun and backfill, nothing else.")


@gateway_app.callback(invoke_without_command=True)
def gateway(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on (TLS proxy in front)")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on")] = 4300,
    insecure: Annotated[bool, typer.Option("--insecure", help=INSECURE_HELP)] = False,
) -> None:
    """Serve the leads' page and API: rerun and backfill runs, with lead accounts of
    PLAN06_GATEWAY_USERS; the Prefect credentials stay in this process."""
    if ctx.invoked_subcommand:
        return
    from flows.gateway.users import GatewayUsersError, load_users

    try:
        users = load_users()  # first: it needs no network, and says what to set
    except GatewayUsersError as exc:
        raise CliError(str(exc)) from exc
    check_api("plan06 gateway", insecure)
    _serve(users, host, port)


@gateway_app.command("hash-password")
def hash_password() -> None:
    """Print the stored form of a lead's password, for PLAN06_GATEWAY_USERS (the password
    is read from stdin, or asked twice without echo on a terminal)."""
    from flows.gateway.users import hash_password as make_hash

    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise CliError(
            f"the password has {len(password)} characters: give a lead at least {MIN_PASSWORD}"
        )
    print(make_hash(password))


def _serve(users: dict, host: str, port: int) -> None:
    import uvicorn

    from flows.gateway.app import create_app, trigger_log

    trigger_log()
    if host not in LOOPBACK:
        console.print(
            f"[yellow]plan06 gateway: listening on {host}: leads' passwords cross the network"
            " in the clear unless a TLS proxy is in front[/]"
        )
    console.print(f"plan06 gateway: {len(users)} lead account(s), on http://{host}:{port}/")
    # No access log: its lines carry the leads' addresses; the trigger lines are the record.
    uvicorn.run(
        create_app(users), host=host, port=port, access_log=False, log_level="warning",
        server_header=False,
    )  # fmt: skip
