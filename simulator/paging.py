"""The three paging shapes provincial APIs use, as the simulator answers them.

page   ?page=N&page_size=M     -> {"page", "page_size", "total", "next_page", "data"}
offset ?offset=K&limit=M       -> {"offset", "limit", "total", "data"}
cursor ?cursor=C&limit=M       -> {"total", "next": <full URL or null>, "data"}
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import URL, QueryParams

DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000


class PagingError(ValueError):
    """A query parameter the API refuses (answered as 400)."""


@dataclass(frozen=True)
class Window:
    """Rows [start, start + size) of the filtered result."""

    start: int
    size: int


def _int(raw: str | None, name: str, default: int, low: int, high: int | None) -> int:
    if raw is None:
        return default
    if not raw.isdecimal() or int(raw) < low or (high is not None and int(raw) > high):
        limit = f"between {low} and {high}" if high else f"at least {low}"
        raise PagingError(f"{name} must be an integer {limit}, got {raw!r}")
    return int(raw)


def encode_cursor(start: int) -> str:
    return base64.urlsafe_b64encode(f"o:{start}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return _int(text.removeprefix("o:"), "cursor", 0, 0, None)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PagingError(f"invalid cursor {cursor!r}") from exc


def window(style: str, params: QueryParams) -> Window:
    """The rows a request asks for, in any paging style."""
    if style == "page":
        size = _int(params.get("page_size"), "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
        return Window((_int(params.get("page"), "page", 1, 1, None) - 1) * size, size)
    size = _int(params.get("limit"), "limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    if style == "offset":
        return Window(_int(params.get("offset"), "offset", 0, 0, None), size)
    cursor = params.get("cursor")
    return Window(_decode_cursor(cursor) if cursor else 0, size)


def body(style: str, win: Window, total: int, rows: list[Any], url: URL) -> dict[str, Any]:
    """The response body for the window (rows may be another window's: faults)."""
    more = win.start + win.size < total
    if style == "page":
        page = win.start // win.size + 1
        return {"page": page, "page_size": win.size, "total": total,
                "next_page": page + 1 if more else None, "data": rows}  # fmt: skip
    if style == "offset":
        return {"offset": win.start, "limit": win.size, "total": total, "data": rows}
    next_url = str(url.include_query_params(cursor=encode_cursor(win.start + win.size)))
    return {"total": total, "next": next_url if more else None, "data": rows}
