"""Read a provincial API page by page, over HTTP, in any of the common paging shapes.

page   ?page=N&page_size=M, follows `next_page`
offset ?offset=K&limit=M, advances by the rows received until `total`
cursor ?limit=M, then follows the `next` link (same origin only: the token
       must never be sent to another host)

Transient failures of one page (429 honouring Retry-After, 5xx, timeouts,
resets, a truncated body) are retried here with capped, jittered backoff, so a
429 at page 40 does not restart the pull; permanent ones raise at once. A page
that repeats an earlier one raises IntegrityError: the caller restarts the
pull, since the pages around it cannot be trusted either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_attempt

from tasks.sources.http_api.errors import IntegrityError, PermanentSourceError
from tasks.sources.http_api.pages import PageTransient, check_response, wait_for_retry


@dataclass(frozen=True)
class PageRequest:
    """Where and how to read one dataset of a plan for one period."""

    label: str  # "plan/dataset", for messages
    base_url: str  # e.g. http://127.0.0.1:8765/binh-duong
    endpoint: str  # e.g. /api/v1/dossiers
    token: str
    period: str
    page_size: int
    pagination: str = "page"  # page | offset | cursor
    auth: str = "bearer"  # bearer | api_key
    api_key_header: str = "X-API-Key"
    updated_since: str | None = None

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

    def first_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"period": self.period}
        if self.updated_since is not None:
            params["updated_since"] = self.updated_since
        if self.pagination == "page":
            return params | {"page": 1, "page_size": self.page_size}
        if self.pagination == "offset":
            return params | {"offset": 0, "limit": self.page_size}
        return params | {"limit": self.page_size}


@dataclass(frozen=True)
class _Call:
    url: str
    params: dict[str, Any] | None  # None: the URL carries its query (a next link)


def _next_call(request: PageRequest, call: _Call, body: dict, index: int) -> _Call | None:
    where = f"{request.label}: GET {request.path} page {index}"
    if request.pagination == "page":
        page, following = int((call.params or {})["page"]), body.get("next_page")
        if following is None:
            return None
        if not isinstance(following, int) or following <= page:
            raise PermanentSourceError(f"{where}: bad next_page {following!r}")
        return _Call(call.url, (call.params or {}) | {"page": following})
    if request.pagination == "offset":
        offset = int((call.params or {})["offset"]) + len(body["data"])
        total = body.get("total")
        done = not body["data"] or (isinstance(total, int) and offset >= total)
        return None if done else _Call(call.url, (call.params or {}) | {"offset": offset})
    link = body.get("next")
    if link is None:
        return None
    if not isinstance(link, str) or not _same_origin(link, request.url):
        raise PermanentSourceError(f"{where}: next link to another origin refused")
    return _Call(link, None)


def _same_origin(link: str, base: str) -> bool:
    a, b = httpx.URL(link), httpx.URL(base)
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def _fingerprint(rows: list) -> bytes:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).digest()


def fetch_pages(request: PageRequest, client: httpx.Client) -> Iterator[dict]:
    """Yield each page as {"page": n, "total": reported, "data": rows}, in order."""

    @retry(
        retry=retry_if_exception_type(PageTransient),
        stop=stop_after_attempt(6),
        wait=wait_for_retry,
        reraise=True,
    )
    def get(call: _Call, index: int) -> dict:
        try:
            response = client.get(call.url, params=call.params, headers=request.headers())
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            where = f"{request.label}: GET {request.path} page {index}"
            raise PageTransient(f"{where}: {type(exc).__name__}") from exc
        return check_response(request.label, request.path, index, response)

    call: _Call | None = _Call(request.url, request.first_params())
    seen: dict[bytes, int] = {}  # page fingerprint -> page: 32 bytes a page, flat
    index = 0
    while call is not None:
        index += 1
        body = get(call, index)
        if (
            body["data"]
            and (earlier := seen.setdefault(_fingerprint(body["data"]), index)) != index
        ):
            raise IntegrityError(
                f"{request.label}: GET {request.path} page {index} repeats page {earlier}"
            )
        yield {"page": index, "total": body.get("total"), "data": body["data"]}
        call = _next_call(request, call, body, index)
