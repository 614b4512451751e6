"""The next page of a provincial API, for each paginator type a plan may declare.

The types and their parameter names are dlt's rest_api ones:
page_number  ?page=N (base_page first), until an empty page, the page count
             at `total_path`, or the record total;
offset       ?offset=K&limit=M, advancing by the records received, until an
             empty page or the record total at `total_path`;
cursor       ?cursor=C, C read at `cursor_path` of each page, until it is empty;
json_link    the next page's URL at `next_url_path` of each page;
header_link  the next page's URL in the `Link: <...>; rel="next"` header;
single_page  one request.
A next URL must stay on the API's origin (the token must never be sent to
another host), and a link or cursor that comes back to a page already read
is a broken API, not a reason to loop forever.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.mapping import MappingError, record_getter
from tasks.sources.specs import Paginator

if TYPE_CHECKING:
    from tasks.sources.http_api.client import PageRequest


@dataclass(frozen=True)
class Call:
    url: str
    params: dict[str, Any] | None  # None: the URL carries its query (a next link)


def first_call(url: str, params: dict[str, str], paginator: Paginator, size: int) -> Call:
    first: dict[str, Any] = dict(params)
    if paginator.type == "page_number":
        first[paginator.page_param] = paginator.base_page
    elif paginator.type == "offset":
        first |= {paginator.offset_param: 0, paginator.limit_param: size}
    if paginator.type != "offset" and paginator.size_param:
        first[paginator.size_param] = size
    return Call(url, first)


def _at(body: Any, path: str, where: str) -> Any:
    try:
        found, value = record_getter(path)(body)
    except MappingError as exc:
        raise PermanentSourceError(f"{where}: {exc}") from exc
    return value if found else None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdecimal() else None


def reported_total(paginator: Paginator, body: Any, response: httpx.Response) -> int | None:
    """The record total the API reports (checked against the rows that arrive)."""
    if paginator.total_records_header:
        return _count(response.headers.get(paginator.total_records_header))
    path = paginator.records_total
    return _count(_at(body, path, "total")) if path else None


def _link(request: PageRequest, current: str, link: Any, seen: set[str], where: str) -> Call | None:
    if link in (None, ""):
        return None
    if not isinstance(link, str):
        raise PermanentSourceError(f"{where}: the next link is not a URL: check next_url_path")
    url = str(httpx.URL(current).join(link))
    target, base = httpx.URL(url), httpx.URL(request.url)
    if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
        raise PermanentSourceError(f"{where}: next link to another origin refused")
    if url in seen:
        raise PermanentSourceError(
            f"{where}: the next link points back to a page already read (the API's paging"
            " loops); nothing was loaded: ask the partner to fix it"
        )
    seen.add(url)
    return Call(url, None)


def next_call(
    request: PageRequest, call: Call, response: httpx.Response, body: Any, records: list,
    received: int, seen: set[str], where: str,
) -> Call | None:  # fmt: skip
    """The request for the page after this one, or None when this was the last."""
    p, params = request.paginator, call.params or {}
    total = reported_total(p, body, response)
    if p.type == "single_page" or (p.type in ("page_number", "offset") and not records):
        return None
    if total is not None and received >= total:
        return None
    if p.type == "page_number":
        page = int(params[p.page_param])
        pages = _count(_at(body, p.total_path, where)) if p.total_path else None
        if pages is not None and page >= p.base_page + pages - 1:
            return None
        return Call(call.url, params | {p.page_param: page + 1})
    if p.type == "offset":
        return Call(call.url, params | {p.offset_param: int(params[p.offset_param]) + len(records)})
    if p.type == "cursor":
        cursor = _at(body, p.cursor_path, where)
        if cursor in (None, ""):
            return None
        if str(cursor) in seen:
            raise PermanentSourceError(f"{where}: the cursor repeats an earlier one (paging loops)")
        seen.add(str(cursor))
        return Call(call.url, params | {p.cursor_param: cursor})
    if p.type == "json_link":
        return _link(request, call.url, _at(body, p.next_url_path, where), seen, where)
    return _link(request, call.url, response.links.get(p.links_next_key, {}).get("url"), seen,
                 where)  # fmt: skip
