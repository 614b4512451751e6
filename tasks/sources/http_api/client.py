"""Read a provincial API page by page, over HTTP, as its plan's source describes it.

The paginator (paginators.py) finds the next page; the `data_selector`
JSONPath finds the records in a page. Transient failures of one page (429
honouring Retry-After, 5xx, timeouts, resets, a truncated body) are retried
here with capped, jittered backoff, so a 429 at page 40 does not restart the
pull; permanent ones raise at once. A page that repeats an earlier one raises
IntegrityError: the caller restarts the pull, since the pages around it cannot
be trusted either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from tenacity import retry, retry_if_exception_type, stop_after_attempt

from tasks.sources.http_api.errors import IntegrityError
from tasks.sources.http_api.pages import PageTransient, check_response, wait_for_retry
from tasks.sources.http_api.paginators import Call, first_call, next_call, reported_total
from tasks.sources.specs import Paginator


@dataclass(frozen=True)
class PageRequest:
    """Where and how to read one dataset of a plan for one period."""

    label: str  # "plan/dataset", for messages
    base_url: str  # e.g. http://127.0.0.1:8765/binh-duong
    endpoint: str  # e.g. /api/v1/dossiers
    token: str
    params: dict[str, str]  # rendered query parameters (period, updated_since, ...)
    paginator: Paginator
    page_size: int
    data_selector: str = "data"
    auth: str = "bearer"  # bearer | api_key
    api_key_header: str = "X-API-Key"

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + self.endpoint

    @property
    def path(self) -> str:
        return httpx.URL(self.url).path

    def headers(self) -> dict[str, str]:
        if self.auth == "api_key":
            return {self.api_key_header: self.token}
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class Page:
    number: int
    records: list
    total: int | None  # records the API says the whole result has, if it says
    body: Any  # the page's JSON (for `sources probe`)


def _fingerprint(rows: list) -> bytes:
    """The page's records, keys sorted, hashed: the same records give the same bytes.

    orjson is ~10x the stdlib here; a page it cannot serialise (an integer
    beyond 64 bits) falls back to the stdlib, which any identical page does too."""
    try:
        text = orjson.dumps(rows, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        text = json.dumps(rows, sort_keys=True, default=str).encode()
    return hashlib.sha256(text).digest()


def fetch_pages(request: PageRequest, client: httpx.Client) -> Iterator[Page]:
    """Yield each page in order, with its records and the total the API reports."""

    @retry(
        retry=retry_if_exception_type(PageTransient),
        stop=stop_after_attempt(6),
        wait=wait_for_retry,
        reraise=True,
    )
    def get(call: Call, index: int) -> tuple[httpx.Response, Any, list]:
        try:
            response = client.get(call.url, params=call.params, headers=request.headers())
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            where = f"{request.label}: GET {request.path} page {index}"
            raise PageTransient(f"{where}: {type(exc).__name__}") from exc
        where = (request.label, request.path, index)
        body, records = check_response(*where, response, request.data_selector)
        return response, body, records

    call: Call | None = first_call(request.url, request.params, request.paginator,
                                   request.page_size)  # fmt: skip
    seen: dict[bytes, int] = {}  # page fingerprint -> page: 32 bytes a page, flat
    links: set[str] = set()
    index, received = 0, 0
    while call is not None:
        index += 1
        response, body, records = get(call, index)
        if records and (earlier := seen.setdefault(_fingerprint(records), index)) != index:
            raise IntegrityError(
                f"{request.label}: GET {request.path} page {index} repeats page {earlier}"
            )
        received += len(records)
        total = reported_total(request.paginator, body, response)
        yield Page(index, records, total, body)
        where = f"{request.label}: GET {request.path} page {index}"
        call = next_call(request, call, response, body, records, received, links, where)
