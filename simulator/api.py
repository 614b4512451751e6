"""HTTP API of the simulated provincial DVC systems (a Starlette app).

`GET /{province}/api/v1/dossiers?period=YYYY-MM&page=N&page_size=M` behind a
bearer token, and `GET /health`. Errors are JSON `{"error", "message"}`.
Nothing here logs request data: dossiers carry (synthetic) personal data.
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulator.dossier import Record
from simulator.generator import PROVINCES, check_period, generate_dossiers

DEFAULT_TOKEN = "plan06-demo-token"
DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000


class ApiError(Exception):
    """An error answered as JSON with its HTTP status."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def create_app(token: str = DEFAULT_TOKEN, seed: int = 0, scale: float = 1.0) -> Starlette:
    """Build the simulator app; generated periods are cached per app (LRU)."""

    @lru_cache(maxsize=32)  # about 2-3 MB per period
    def period_rows(province: str, period: str) -> tuple[Record, ...]:
        return tuple(generate_dossiers(province, period, seed=seed, scale=scale))

    def dossiers(request: Request) -> JSONResponse:
        # A plain function: Starlette runs it in a worker thread, so generating
        # a period never blocks the event loop.
        _authorise(request, token)
        province = request.path_params["province"]
        if province not in PROVINCES:
            raise ApiError(404, "not_found", f"unknown province {province!r}")
        period, page, page_size = _query(request)
        return JSONResponse(_page(province, period, page, page_size, period_rows(province, period)))

    routes = [Route("/health", _health), Route("/{province}/api/v1/dossiers", dossiers)]
    handlers = {ApiError: _api_error, HTTPException: _http_error}
    return Starlette(routes=routes, exception_handlers=handlers)


def _health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _authorise(request: Request, token: str) -> None:
    supplied = request.headers.get("authorization", "")
    # Constant-time comparison: the token is a secret, however small.
    if not hmac.compare_digest(supplied.encode(), f"Bearer {token}".encode()):
        raise ApiError(401, "unauthorized", "missing or invalid bearer token")


def _query(request: Request) -> tuple[str, int, int]:
    """Validated (period, page, page_size) from the query string."""
    params = request.query_params
    period = params.get("period")
    if period is None:
        raise ApiError(400, "bad_request", "query parameter 'period' (YYYY-MM) is required")
    try:
        check_period(period)
    except ValueError as exc:
        raise ApiError(400, "bad_request", str(exc)) from exc
    page = _int_param(params.get("page"), "page", 1, 1, None)
    page_size = _int_param(
        params.get("page_size"), "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE
    )
    return period, page, page_size


def _int_param(raw: str | None, name: str, default: int, low: int, high: int | None) -> int:
    if raw is None:
        return default
    if not raw.isdecimal() or int(raw) < low or (high is not None and int(raw) > high):
        limit = f"between {low} and {high}" if high else f"at least {low}"
        raise ApiError(400, "bad_request", f"{name} must be an integer {limit}, got {raw!r}")
    return int(raw)


def _page(
    province: str, period: str, page: int, page_size: int, rows: tuple[Record, ...]
) -> dict[str, Any]:
    """One page of the response; a page past the end is empty, not an error."""
    start = (page - 1) * page_size
    return {
        "province": province,
        "period": period,
        "page": page,
        "page_size": page_size,
        "total": len(rows),
        "next_page": page + 1 if start + page_size < len(rows) else None,
        "data": list(rows[start : start + page_size]),
    }


def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse({"error": exc.error, "message": exc.message}, exc.status, headers)


def _http_error(request: Request, exc: Exception) -> Response:
    # Unknown paths and methods get JSON too, so clients parse one error shape.
    assert isinstance(exc, HTTPException)
    error = "not_found" if exc.status_code == 404 else "http_error"
    return JSONResponse({"error": error, "message": exc.detail}, exc.status_code, exc.headers)
