"""Read a provincial DVC API page by page, over HTTP.

The API answers `{"data": [...], "page", "page_size", "total", "next_page"}`
(page-number paging, bearer token). Transient failures of one page are retried
here with capped, jittered backoff that honours Retry-After, so a 429 at page
40 does not restart the pull; permanent ones raise at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from tenacity import (
    RetryCallState,
    retry,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from tasks.sources.http_api.errors import PermanentSourceError, TransientSourceError

MAX_RETRY_AFTER_S = 60.0
_TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class PageRequest:
    """Where and how to read one dataset of a plan for one period."""

    label: str  # "plan/dataset", for messages
    base_url: str  # e.g. http://127.0.0.1:8765/binh-duong
    endpoint: str  # e.g. /api/v1/dossiers
    token: str
    period: str
    page_size: int

    @property
    def path(self) -> str:
        return httpx.URL(self.base_url.rstrip("/") + self.endpoint).path


def _wait(state: RetryCallState) -> float:
    """Retry-After when the server sent one (capped), else jittered backoff."""
    exc = state.outcome.exception() if state.outcome else None
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        return min(float(retry_after), MAX_RETRY_AFTER_S)
    return wait_exponential_jitter(initial=0.2, max=10.0, jitter=0.5)(state)


class _PageTransient(TransientSourceError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _check(request: PageRequest, page: int, response: httpx.Response) -> dict:
    where = f"{request.label}: GET {request.path} page {page}"
    if response.status_code in _TRANSIENT_STATUS:
        raise _PageTransient(f"{where}: HTTP {response.status_code}", _retry_after(response))
    if response.status_code in (401, 403):
        raise PermanentSourceError(
            f"{where}: HTTP {response.status_code}: the token was refused; "
            "check the plan source's token_env variable"
        )
    if response.status_code == 404:
        raise PermanentSourceError(f"{where}: HTTP 404: check the source URL and endpoint")
    if response.status_code != 200:
        raise PermanentSourceError(f"{where}: HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise _PageTransient(f"{where}: malformed or truncated JSON") from exc
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise PermanentSourceError(f"{where}: unexpected body: no 'data' list")
    return body


def fetch_pages(request: PageRequest, client: httpx.Client) -> Iterator[dict]:
    """Yield each page's body in order, following next_page to the end."""

    @retry(
        retry=retry_if_exception_type(_PageTransient),
        stop=stop_after_attempt(6),
        wait=_wait,
        reraise=True,
    )
    def get(page: int) -> dict:
        try:
            response = client.get(
                request.base_url.rstrip("/") + request.endpoint,
                params={"period": request.period, "page": page, "page_size": request.page_size},
                headers={"Authorization": f"Bearer {request.token}"},
            )
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise _PageTransient(
                f"{request.label}: GET {request.path} page {page}: {type(exc).__name__}"
            ) from exc
        return _check(request, page, response)

    page: int | None = 1
    while page is not None:
        body = get(page)
        yield body
        next_page = body.get("next_page")
        if next_page is not None and (not isinstance(next_page, int) or next_page <= page):
            raise PermanentSourceError(
                f"{request.label}: GET {request.path} page {page}: bad next_page {next_page!r}"
            )
        page = next_page
