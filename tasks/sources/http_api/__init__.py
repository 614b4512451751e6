"""HTTP API sources: where a plan's dataset is read from, and the pull itself."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tasks.plans import DatasetSpec, PlanSpec
from tasks.settings import env_value
from tasks.sources.http_api.client import PageRequest, fetch_pages
from tasks.sources.http_api.errors import IntegrityError, PermanentSourceError
from tasks.sources.http_api.landing import land_pages
from tasks.sources.specs import HttpApiSource

SIMULATOR_URL_ENV = "PLAN06_SIMULATOR_URL"
SIMULATOR_TOKEN_ENV = "PLAN06_SIMULATOR_TOKEN"
PULL_ATTEMPTS = 4  # whole-pull restarts after repeated or skipped pages
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Landed:
    """A landed batch, and what the source must remember once it is published."""

    path: Path
    rows: int
    reported_total: int | None
    url_path: str
    replace_slice: bool = True  # False: incremental, upsert the rows by key
    skipped: str | None = None  # why nothing needs loading (no change since last time)
    source_state: dict = field(default_factory=dict)  # watermark or file ledger entries


def resolve_request(
    plan: PlanSpec, dataset: DatasetSpec, period: str, updated_since: str | None = None
) -> tuple[PageRequest, bool]:
    """(request, is_simulator): the partner's API if configured, else the simulator."""
    source = plan.sources[dataset.source]
    assert isinstance(source, HttpApiSource) and dataset.endpoint is not None
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
    request = PageRequest(
        label, base_url, dataset.endpoint, token, period, source.page_size,
        source.pagination, source.auth, source.api_key_header, updated_since,
    )  # fmt: skip
    return request, simulated


def _land_once(
    request: PageRequest, target: Path, fields: Sequence[str], timeout_s: float
) -> tuple[int, int | None]:
    timeout = httpx.Timeout(timeout_s, connect=5.0)
    with httpx.Client(timeout=timeout, trust_env=False) as client:
        rows, total = land_pages(fetch_pages(request, client), target, request.label, fields)
    if total is not None and int(total) != rows:
        target.unlink(missing_ok=True)
        raise IntegrityError(
            f"{request.label}: GET {request.path}: the API reported {total} rows "
            f"but {rows} arrived (pages skipped or repeated)"
        )
    return rows, total


def pull_to_landing(
    request: PageRequest, target: Path, fields: Sequence[str], timeout_s: float = 30.0
) -> Landed:
    """Read every page into one Parquet file; restart when pages repeat or go missing."""
    for attempt in range(1, PULL_ATTEMPTS + 1):
        try:
            rows, total = _land_once(request, target, fields, timeout_s)
            return Landed(target, rows, total, request.path)
        except IntegrityError as exc:
            logger.warning("pull attempt %d of %d: %s", attempt, PULL_ATTEMPTS, exc)
            last = exc
    raise PermanentSourceError(
        f"{last}; still so after {PULL_ATTEMPTS} complete pulls, nothing was loaded: "
        "ask the partner to fix the API's paging"
    )
