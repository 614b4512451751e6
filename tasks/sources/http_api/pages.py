"""One page's HTTP answer: transient or permanent failure, or its JSON body."""

from __future__ import annotations

import json
from typing import Any

import httpx
import orjson
from tenacity import RetryCallState, wait_exponential_jitter

from tasks.sources.http_api.errors import PermanentSourceError, TransientSourceError
from tasks.sources.mapping import MappingError, record_getter

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


def check_response(
    label: str, path: str, page: int, response: httpx.Response, data_selector: str = "data"
) -> tuple[Any, list]:
    """(body, records) of the page, or the error that says what went wrong and what to do."""
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
        body = parse_json(response.content)
    except ValueError as exc:
        raise PageTransient(f"{where}: malformed or truncated JSON") from exc
    return body, select_records(body, data_selector, where)


def parse_json(content: bytes) -> Any:
    """The page's JSON: orjson (~4x the stdlib's speed), the stdlib for what orjson refuses.

    orjson rejects NaN and integers beyond 64 bits, which json.loads (httpx's
    `response.json()`) reads; the stdlib decides those pages, so no page that
    was read before is refused now."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


def select_records(body: Any, data_selector: str, where: str) -> list:
    """The records at `data_selector`; a clear error naming what the page does hold."""
    try:
        found, records = record_getter(data_selector)(body)
    except MappingError as exc:
        raise PermanentSourceError(f"{where}: data_selector: {exc}") from exc
    if not found or not isinstance(records, list):
        raise PermanentSourceError(
            f"{where}: data_selector {data_selector!r} finds no list of records in the page;"
            f" the page holds {describe_keys(body)}: set the source's data_selector"
            " (`plan06 sources probe` shows the page)"
        )
    return records


def describe_keys(body: Any, depth: int = 2, most: int = 60) -> str:
    """The shape of a JSON body's keys, e.g. `result: {data: [...], count}`, values left out."""
    if isinstance(body, list):
        return "[...]"
    if not isinstance(body, dict) or depth == 0:
        return "a value" if not isinstance(body, dict) else "{...}"
    parts = []
    for key, value in list(body.items())[:most]:
        if isinstance(value, dict):
            parts.append(f"{key}: {{{describe_keys(value, depth - 1, 12)}}}")
        else:
            parts.append(f"{key}: [...]" if isinstance(value, list) else key)
    return ", ".join(parts)
