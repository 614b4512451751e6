"""Request handling shared by the vendor dialects: auth, paging, faults, errors.

Dialect errors keep the portal's JSON error shape `{"error", "message"}` so a
client needs one error parser; they are answered here rather than through
simulator/api.py's handlers, which keeps the dialects out of that module.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.dossier import Record
from simulator.faults import FaultPlan
from simulator.generator import PROVINCES
from simulator.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from simulator.respond import faulty_response

RowsFor = Callable[[str, str], Sequence[Record]]  # (province, period) -> portal dossiers
Handler = Callable[[Request], Response]
# Faults whose effect depends on the body's shape: each dialect applies them itself.
SHAPE_FAULTS = ("schema_mismatch", "wrong_total")


class DialectError(Exception):
    """A request a dialect refuses, answered as JSON with its HTTP status."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def guarded(handler: Handler) -> Handler:
    """Answer a DialectError raised by `handler` as the JSON error it stands for."""

    @wraps(handler)
    def run(request: Request) -> Response:
        try:
            return handler(request)
        except DialectError as exc:
            headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
            body = {"error": exc.error, "message": exc.message}
            return JSONResponse(body, exc.status, headers)

    return run


def require_secret(presented: str, expected: str) -> None:
    # Constant-time comparison: the token is a secret, however small.
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise DialectError(401, "unauthorized", "missing or invalid credentials")


def province_of(request: Request) -> str:
    province = request.path_params["province"]
    if province not in PROVINCES:
        raise DialectError(404, "not_found", f"unknown province {province}")
    return province


def page_size(raw: str | None, name: str) -> int:
    if raw is None:
        return DEFAULT_PAGE_SIZE
    if not raw.isdecimal() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise DialectError(400, "bad_request", f"{name} must be 1..{MAX_PAGE_SIZE}, got {raw!r}")
    return int(raw)


def encode_position(tag: str, start: int) -> str:
    """An opaque page token: the row offset, tagged with the dialect that made it."""
    return base64.urlsafe_b64encode(f"{tag}:{start}".encode()).decode().rstrip("=")


def decode_position(tag: str, token: str | None, name: str) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    prefix, _, offset = text.partition(":")
    if prefix != tag or not offset.isdecimal():
        raise DialectError(400, "bad_request", f"invalid {name} {token!r}")
    return int(offset)


def faulted_window(
    plan: FaultPlan, key: tuple[str, ...], rows: Sequence[Record], start: int, size: int
) -> tuple[str | None, list[Record]]:
    """The fault for this page (if any) and the rows it serves, as the portal route does."""
    fault = plan.choose(key, start, size, len(rows))
    shift = {"duplicate_page": -size, "skip_page": size}.get(fault or "", 0)
    return fault, list(rows[max(0, start + shift) : start + shift + size])


def answer(
    fault: str | None, payload: dict[str, Any], headers: dict[str, str], plan: FaultPlan
) -> Response:
    """The page with its headers, or the transport fault's answer (without them)."""
    response = faulty_response(None if fault in SHAPE_FAULTS else fault, payload, plan)
    if response.status_code == 200:
        response.headers.update(headers)
    return response
