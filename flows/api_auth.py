"""Refuse a Prefect API that anyone could call, before serving or setting up a pool.

Without PREFECT_SERVER_API_AUTH_STRING a Prefect server takes any caller, and a
caller can create a run that executes commands on a worker (with the worker's
SLACK_BOT_TOKEN, partner tokens and pseudonym key). So `plan06 serve` and
`plan06 pool` ask the API once without credentials: if that succeeds, the server
has no authentication and they stop, unless told --insecure (a local trial).
With no PREFECT_API_URL there is no server at all, only a temporary in-process
API: serving schedules from it is a trial too. `plan06 run` is not concerned.
"""

from __future__ import annotations

import base64

import httpx

PROBE = "/admin/version"  # an API route the auth middleware guards (/health is exempt)
FIX = (
    "set PREFECT_SERVER_API_AUTH_STRING on the server and PREFECT_API_AUTH_STRING"
    " for its clients (Prefect Cloud: PREFECT_API_KEY), or pass --insecure for a local trial"
)


class InsecureApiError(Exception):
    """The Prefect API takes unauthenticated callers (or cannot be checked)."""


def api_settings() -> tuple[str | None, dict[str, str]]:
    """PREFECT_API_URL and the header this client sends (auth string, or a Cloud API key),
    as Prefect resolves them (environment, profile)."""
    from prefect.settings import get_current_settings

    api, headers = get_current_settings().api, {}
    if api.key:
        headers["Authorization"] = f"Bearer {api.key.get_secret_value()}"
    elif api.auth_string:
        basic = base64.b64encode(api.auth_string.get_secret_value().encode()).decode()
        headers["Authorization"] = f"Basic {basic}"
    return api.url, headers


def require_authenticated_api(what: str, timeout: float = 10) -> str:
    """The API's URL, once it is known to refuse unauthenticated callers and accept ours."""
    url, headers = api_settings()
    if not url:
        raise InsecureApiError(
            f"{what} needs a Prefect server with authentication: PREFECT_API_URL is not set,"
            " so it would run a temporary in-process API; point PREFECT_API_URL at a server,"
            f" then {FIX}"
        )
    probe = url.rstrip("/") + PROBE
    try:
        anonymous = httpx.get(probe, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise InsecureApiError(
            f"{what} could not reach the Prefect API at {url} ({type(exc).__name__}):"
            " start the server or fix PREFECT_API_URL"
        ) from exc
    if anonymous.status_code < 400:
        raise InsecureApiError(
            f"{what} refuses the Prefect API at {url}: it answers callers without credentials,"
            f" so anyone reaching it can run commands on the workers; {FIX}"
        )
    ours = httpx.get(probe, headers=headers, timeout=timeout, follow_redirects=False)
    if ours.status_code >= 400:
        raise InsecureApiError(
            f"the Prefect API at {url} refused this client's credentials (HTTP"
            f" {ours.status_code}): set PREFECT_API_AUTH_STRING to the server's auth string"
        )
    return url
