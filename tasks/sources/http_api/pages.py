"""One page's HTTP answer: transient or permanent failure, or its JSON body."""

from __future__ import annotations

import httpx
from tenacity import RetryCallState, wait_exponential_jitter

from tasks.sources.http_api.errors import PermanentSourceError, TransientSourceError

MAX_RETRY_AFTER_S = 60.0
_TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


class PageTransient(TransientSourceError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def wait_for_retry(state: RetryCallState) -> float:
    """Retry-After when the server sent one (capped), else jittered backoff."""
    exc = state.outcome.exception() if state.outcome else None
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        return min(float(retry_after), MAX_RETRY_AFTER_S)
    return wait_exponential_jitter(initial=0.2, max=10.0, jitter=0.5)(state)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def check_response(label: str, path: str, page: int, response: httpx.Response) -> dict:
    """The page's body, or the error that says what went wrong and what to do."""
    where = f"{label}: GET {path} page {page}"
    status = response.status_code
    if status in _TRANSIENT_STATUS:
        raise PageTransient(f"{where}: HTTP {status}", _retry_after(response))
    if status in (401, 403):
        raise PermanentSourceError(
            f"{where}: HTTP {status}: the token was refused; "
            "check the plan source's token_env variable"
        )
    if status == 404:
        raise PermanentSourceError(f"{where}: HTTP 404: check the source URL and endpoint")
    if status != 200:
        raise PermanentSourceError(f"{where}: HTTP {status}")
    try:
        body = response.json()
    except ValueError as exc:
        raise PageTransient(f"{where}: malformed or truncated JSON") from exc
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise PermanentSourceError(
            f"{where}: unexpected body: no 'data' list (schema changed?); "
            "check the source's API version"
        )
    return body
