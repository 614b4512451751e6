"""HTTP API of the simulated provincial systems (a Starlette app).

`GET /{province}/api/v1/{dataset}?period=YYYY-MM[&updated_since=yyyyMMddHHmmss]`
plus the dataset's paging parameters (simulator/paging.py), behind a bearer
token or an `X-API-Key` header; `GET /health`. Errors are JSON `{"error",
"message"}`. Faults are injected when the app is built with a FaultPlan
(simulator/faults.py). Nothing here logs request data: rows carry
(synthetic) personal data.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulator.as_of import VIETNAM, start_of_day
from simulator.datasets import generate_records
from simulator.dialects import dialect_routes
from simulator.dossier import Record
from simulator.faults import FaultPlan
from simulator.generator import PROVINCES, check_period, generate_dossiers
from simulator.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PagingError, body, window
from simulator.respond import faulty_response

__all__ = ["DEFAULT_PAGE_SIZE", "DEFAULT_TOKEN", "ENDPOINTS", "MAX_PAGE_SIZE", "create_app"]

DEFAULT_TOKEN = "plan06-demo-token"
# endpoint -> (dataset kind, paging style): each real system pages its own way.
ENDPOINTS = {
    "dossiers": ("dossiers", "page"),
    "land-parcels": ("land_parcels", "offset"),
    "residence-records": ("residence_records", "cursor"),
    "civil-status-registers": ("civil_status_registers", "page"),
    "judicial-records": ("judicial_records", "offset"),
    "service-indicators": ("service_indicators", "offset"),
}


class ApiError(Exception):
    """An error answered as JSON with its HTTP status."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def create_app(
    token: str = DEFAULT_TOKEN,
    seed: int = 0,
    scale: float = 1.0,
    faults: FaultPlan | None = None,
    drop_root: Path | None = None,
) -> Starlette:
    """Build the simulator app; generated periods are cached per app (LRU)."""
    plan = faults or FaultPlan()

    @lru_cache(maxsize=64)  # about 2-3 MB per dossier period
    def period_rows(kind: str, province: str, period: str, cut: datetime) -> tuple[Record, ...]:
        if kind == "dossiers":  # as the system stood at the start of today
            return tuple(generate_dossiers(province, period, seed=seed, scale=scale, cut_at=cut))
        return tuple(generate_records(kind, province, period, seed=seed, scale=scale))

    def serve(request: Request) -> Response:
        # A plain function: Starlette runs it in a worker thread, so generating
        # a period never blocks the event loop.
        _authorise(request, token)
        province, endpoint = request.path_params["province"], request.path_params["dataset"]
        if province not in PROVINCES or endpoint not in ENDPOINTS:
            raise ApiError(404, "not_found", f"unknown province or dataset {province}/{endpoint}")
        kind, style = ENDPOINTS[endpoint]
        period, since = _query(request)
        today = start_of_day(datetime.now(VIETNAM))
        rows = _since(period_rows(kind, province, period, today), since)
        try:
            win = window(style, request.query_params)
        except PagingError as exc:
            raise ApiError(400, "bad_request", str(exc)) from exc
        fault = plan.choose(
            (province, endpoint, period, since or ""), win.start, win.size, len(rows)
        )
        shift = {"duplicate_page": -win.size, "skip_page": win.size}.get(fault or "", 0)
        data = list(rows[win.start + shift : win.start + shift + win.size])
        payload = {"province": province, "period": period}
        payload |= body(style, win, len(rows), data, request.url)
        return faulty_response(fault, payload, plan)

    routes = [
        Route("/health", _health),
        Route("/_faults", lambda _: JSONResponse(dict(plan.fired))),
        Route("/_drops", lambda _: JSONResponse({"root": str(drop_root) if drop_root else None})),
        Route("/{province}/api/v1/{dataset}", serve),
        # the same dossiers in vendors' shapes, as the portal shows them today
        *dialect_routes(
            lambda kind, province, period: period_rows(
                kind, province, period, start_of_day(datetime.now(VIETNAM))
            ),
            token,
            plan,
        ),
    ]
    handlers: dict = {ApiError: _api_error, HTTPException: _http_error}
    return Starlette(routes=routes, exception_handlers=handlers)


def _since(rows: tuple[Record, ...], since: str | None) -> tuple[Record, ...]:
    """Rows updated after `since` (incremental pulls); all rows without it."""
    if since is None:
        return rows
    return tuple(r for r in rows if str(r.get("NgayCapNhat") or "") > since)


def _health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _authorise(request: Request, token: str) -> None:
    bearer = request.headers.get("authorization", "").encode()
    api_key = request.headers.get("x-api-key", "").encode()
    # Constant-time comparison: the token is a secret, however small.
    if not (
        hmac.compare_digest(bearer, f"Bearer {token}".encode())
        or hmac.compare_digest(api_key, token.encode())
    ):
        raise ApiError(401, "unauthorized", "missing or invalid bearer token or API key")


def _query(request: Request) -> tuple[str, str | None]:
    """Validated (period, updated_since) from the query string."""
    period = request.query_params.get("period")
    if period is None:
        raise ApiError(400, "bad_request", "query parameter 'period' (YYYY-MM) is required")
    try:
        check_period(period)
    except ValueError as exc:
        raise ApiError(400, "bad_request", str(exc)) from exc
    since = request.query_params.get("updated_since")
    if since is not None and not (since.isdecimal() and len(since) == 14):
        raise ApiError(400, "bad_request", "updated_since must be yyyyMMddHHmmss")
    return period, since


def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse({"error": exc.error, "message": exc.message}, exc.status, headers)


def _http_error(request: Request, exc: Exception) -> Response:
    # Unknown paths and methods get JSON too, so clients parse one error shape.
    assert isinstance(exc, HTTPException)
    error = "not_found" if exc.status_code == 404 else "http_error"
    return JSONResponse({"error": error, "message": exc.detail}, exc.status_code, exc.headers)
