"""HTTP API sources: where a plan's dataset is read from, and the pull itself."""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

from tasks.plans import DatasetSpec, PlanSpec
from tasks.settings import env_value
from tasks.sources.http_api.ahead import read_ahead
from tasks.sources.http_api.client import PageRequest, fetch_pages
from tasks.sources.http_api.errors import IntegrityError, PermanentSourceError
from tasks.sources.http_api.landing import LandedPages, RecordMapper, land_pages
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
    drift: tuple[str, ...] = ()  # source fields that nothing maps (schema drift, reported)


def render_params(
    templates: dict[str, str], period: str, updated_since: str | None
) -> dict[str, str]:
    """The query parameters for one period; one whose template has no value is left out."""
    start = date.fromisoformat(f"{period}-01")
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    values = {"period": period, "period_start": start.isoformat(), "period_end": end.isoformat(),
              "updated_since": updated_since}  # fmt: skip
    rendered = {}
    for name, template in templates.items():
        used = re.findall(r"{([^{}]*)}", template)
        if all(values.get(u) is not None for u in used):
            rendered[name] = template.format(**values)
    return rendered


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
        label, base_url, dataset.endpoint, token,
        render_params(source.params, period, updated_since), source.paginator,
        source.page_size, source.data_selector, source.auth, source.api_key_header,
    )  # fmt: skip
    return request, simulated


def _land_once(
    request: PageRequest, target: Path, mapper: RecordMapper, fields: Sequence[str],
    timeout_s: float,
) -> LandedPages:  # fmt: skip
    timeout = httpx.Timeout(timeout_s, connect=5.0)
    with httpx.Client(timeout=timeout, trust_env=False) as client:
        landed = land_pages(read_ahead(fetch_pages(request, client)), target, mapper, fields)
    total = landed.reported_total
    if total is not None and int(total) != landed.rows:
        target.unlink(missing_ok=True)
        raise IntegrityError(
            f"{request.label}: GET {request.path}: the API reported {total} rows "
            f"but {landed.rows} arrived (pages skipped or repeated)"
        )
    return landed


def pull_to_landing(
    request: PageRequest, target: Path, mapper: RecordMapper, fields: Sequence[str],
    timeout_s: float = 30.0,
) -> Landed:  # fmt: skip
    """Read every page into one Parquet file; restart when pages repeat or go missing."""
    for attempt in range(1, PULL_ATTEMPTS + 1):
        try:
            landed = _land_once(request, target, mapper, fields, timeout_s)
            return Landed(target, landed.rows, landed.reported_total, request.path,
                          drift=landed.drift)  # fmt: skip
        except IntegrityError as exc:
            logger.warning("pull attempt %d of %d: %s", attempt, PULL_ATTEMPTS, exc)
            last = exc
    raise PermanentSourceError(
        f"{last}; still so after {PULL_ATTEMPTS} complete pulls, nothing was loaded: "
        "ask the partner to fix the API's paging"
    )
