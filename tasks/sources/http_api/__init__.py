"""HTTP API sources: where a plan's dataset is read from, and the pull task."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from tasks.plans import DatasetSpec, PlanSpec
from tasks.settings import env_value
from tasks.sources.http_api.client import PageRequest, fetch_pages
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.http_api.landing import land_pages

SIMULATOR_URL_ENV = "PLAN06_SIMULATOR_URL"
SIMULATOR_TOKEN_ENV = "PLAN06_SIMULATOR_TOKEN"


@dataclass(frozen=True)
class Landed:
    path: Path
    rows: int
    reported_total: int | None
    url_path: str


def resolve_request(plan: PlanSpec, dataset: DatasetSpec, period: str) -> tuple[PageRequest, bool]:
    """(request, is_simulator): the partner's API if configured, else the simulator."""
    source = plan.sources[dataset.source]
    label = f"{plan.id}/{dataset.id}"
    base_url, token = env_value(source.url_env), env_value(source.token_env)
    simulated = base_url is None
    if simulated:
        simulator = env_value(SIMULATOR_URL_ENV)
        if simulator is None:
            raise PermanentSourceError(
                f"{label}: {source.url_env} is not set and no simulator is running; "
                f"set {source.url_env} and {source.token_env}, or use `plan06 run`"
            )
        base_url = f"{simulator.rstrip('/')}/{source.simulator_province}"
        token = env_value(SIMULATOR_TOKEN_ENV)
    if token is None:
        raise PermanentSourceError(f"{label}: {source.token_env} is not set (the API token)")
    request = PageRequest(label, base_url, dataset.endpoint, token, period, source.page_size)
    return request, simulated


def pull_to_landing(request: PageRequest, target: Path, fields: Sequence[str]) -> Landed:
    """Read every page into one Parquet file; checks the count the API reported."""
    with httpx.Client(timeout=httpx.Timeout(30.0, connect=5.0)) as client:
        pages = fetch_pages(request, client)
        rows, total = land_pages(pages, target, request.label, fields)
    if total is not None and int(total) != rows:
        target.unlink(missing_ok=True)
        raise PermanentSourceError(
            f"{request.label}: GET {request.path}: the API reported {total} rows "
            f"but {rows} arrived (pages skipped or repeated); nothing was loaded"
        )
    return Landed(target, rows, total, request.path)
