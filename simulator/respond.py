"""Turn a page body into the HTTP answer a fault mode calls for."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from simulator.faults import FaultPlan


class _Reset(ConnectionResetError):
    """Raised mid-body: the server drops the connection (no complete response)."""


def _dropped(encoded: bytes) -> Iterator[bytes]:
    yield encoded[: len(encoded) // 2]
    raise _Reset("simulated connection reset")


def _error(status: int, error: str, **headers: str) -> Response:
    return JSONResponse({"error": error, "message": "simulated fault"}, status, headers or None)


def faulty_response(fault: str | None, payload: dict[str, Any], plan: FaultPlan) -> Response:
    """The page as JSON, or what the fault makes of it."""
    if fault == "rate_limit":
        return _error(429, "rate_limited", **{"Retry-After": str(plan.retry_after_s)})
    if fault == "server_error":
        return _error(503, "unavailable")
    if fault == "bad_gateway":
        return HTMLResponse("<html><body><h1>502 Bad Gateway</h1></body></html>", 502)
    if fault == "unauthorized":
        return _error(401, "unauthorized")
    if fault == "slow":
        time.sleep(plan.slow_s)
    if fault == "schema_mismatch":
        payload = {"items": payload.pop("data"), **payload}
    if fault == "wrong_total":
        payload = {**payload, "total": int(payload.get("total") or 0) + 1}
    encoded = json.dumps(payload, ensure_ascii=False).encode()
    if fault == "truncated_json":
        return Response(encoded[: len(encoded) // 2], media_type="application/json")
    if fault == "reset":
        return StreamingResponse(_dropped(encoded), media_type="application/json")
    return Response(encoded, media_type="application/json")
