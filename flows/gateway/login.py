"""What every request passes before it is read: the lead's login (HTTP Basic
against PLAN06_GATEWAY_USERS), a small body, and, for the page's form, the
same site (a forged form riding on a browser's remembered login is refused)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from flows.gateway.users import check

MAX_BODY = 4096  # two ids and two months fit many times over; a larger body is not a lead's
CHALLENGE = {"WWW-Authenticate": 'Basic realm="plan06 gateway", charset="UTF-8"'}


async def lead_of(request: Request) -> str:
    """The lead's account name, or 401 asking for a login."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    try:
        name, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        name = password = ""
    users = request.app.state.users
    if scheme.lower() == "basic" and name and await run_in_threadpool(check, users, name, password):
        return name
    raise HTTPException(401, "log in with your lead account", headers=CHALLENGE)


async def body_of(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, f"the body is over {MAX_BODY} bytes")
    return body


def cross_site(request: Request) -> bool:
    """Whether a browser says the form comes from another site (a forged request riding
    on the lead's remembered login)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host")
