"""The gateway's web app: lead login (HTTP Basic), four routes, nothing else.

POST /runs/rerun and POST /runs/backfill (JSON) create a run; GET /runs/{id}
shows one of those runs; GET and POST / are the page. Any other path is 404,
any other method 405: there is no route through to the Prefect API.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from urllib.parse import parse_qsl
from uuid import UUID

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from flows.gateway import page, prefect_api
from flows.gateway.login import body_of, cross_site, lead_of
from flows.gateway.params import Backfill, Refused, Rerun, checked
from flows.gateway.users import PasswordHash

HTML_HEADERS = {  # no framing (clickjacking), no script, forms only to here, no caching
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
log = logging.getLogger("plan06.gateway")


def create_app(users: Mapping[str, PasswordHash]) -> Starlette:
    """The app, logging in the given lead accounts."""
    app = Starlette(
        routes=[
            Route("/", home, methods=["GET", "POST"]),
            Route("/runs/rerun", rerun, methods=["POST"]),
            Route("/runs/backfill", backfill, methods=["POST"]),
            Route("/runs/{run_id:uuid}", run_status, methods=["GET"]),
        ],
        exception_handlers={  # type: ignore[dict-item]
            HTTPException: _http_error,
            prefect_api.DeploymentMissingError: _prefect_error,
            httpx.HTTPError: _prefect_error,
        },
    )
    app.state.users = dict(users)
    return app


async def rerun(request: Request) -> Response:
    return await _trigger_api(request, Rerun, prefect_api.RERUN)


async def backfill(request: Request) -> Response:
    return await _trigger_api(request, Backfill, prefect_api.BACKFILL)


async def run_status(request: Request) -> Response:
    await lead_of(request)
    run = await prefect_api.read_run(request.path_params["run_id"])
    if run is None:  # absent, or another deployment's: the same answer, so nothing leaks
        return JSONResponse({"error": "no rerun or backfill run has this id"}, 404)
    return JSONResponse(run.as_json())


async def home(request: Request) -> Response:
    lead = await lead_of(request)
    from flows.plans import load_plans
    from tasks.settings import load_settings

    plans = (await run_in_threadpool(load_plans, load_settings().plans_dir)).values()
    notice, refused, chosen, status = "", False, ("", ""), 200
    if request.method == "POST":
        if cross_site(request):
            raise HTTPException(403, "a form of another site cannot start runs here")
        form = dict(parse_qsl((await body_of(request)).decode(errors="replace")))
        chosen = (form.get("plan_id", ""), form.get("period", ""))
        try:
            run_id = await _trigger(lead, await run_in_threadpool(checked, Rerun, form))
            notice = f"Đã tạo lượt chạy {run_id}: nó bắt đầu khi một máy chạy (worker) nhận việc."
        except Refused as exc:
            notice, refused, status = exc.vi, True, 422
    runs = await prefect_api.recent_runs()
    html = page.render(lead, plans, runs, notice, refused, chosen)
    return HTMLResponse(html, status, headers=HTML_HEADERS)


async def _trigger_api(request: Request, kind: type[Rerun] | type[Backfill], name: str) -> Response:
    lead = await lead_of(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        # also what keeps another site's plain form from posting here with a lead's login
        return JSONResponse({"error": "send the parameters as application/json"}, 415)
    try:
        body = json.loads(await body_of(request))
        params = await run_in_threadpool(checked, kind, body)
    except ValueError as exc:  # Refused, or JSON that does not parse
        return JSONResponse({"error": getattr(exc, "en", "the body is not valid JSON")}, 422)
    run_id = await _trigger(lead, params)
    return JSONResponse(
        {"flow_run_id": str(run_id), "deployment": name, "parameters": params.model_dump()}, 201
    )


async def _trigger(lead: str, params: Rerun | Backfill) -> UUID:
    """Create the run and log one line: who, what, which run (no secret, no personal data)."""
    name = prefect_api.RERUN if isinstance(params, Rerun) else prefect_api.BACKFILL
    run_id = await prefect_api.create_run(name, params.model_dump(), lead)
    log.info(
        "trigger lead=%s deployment=%s plan=%s period=%s flow_run=%s",
        lead, name, params.plan_id, params.months, run_id,
    )  # fmt: skip
    return run_id


async def _http_error(request: Request, exc: HTTPException) -> Response:
    return JSONResponse({"error": exc.detail}, exc.status_code, headers=exc.headers)


async def _prefect_error(request: Request, exc: Exception) -> Response:
    """The Prefect API unreachable, refusing, or without the deployments: 502/503, one line
    in the log with the error's type only (its text may carry the API's URL and answer)."""
    log.warning("%s %s: Prefect API error %s", request.method, request.url.path, type(exc).__name__)
    if isinstance(exc, prefect_api.DeploymentMissingError):
        return JSONResponse({"error": str(exc)}, 503)
    return JSONResponse(
        {"error": "the Prefect API did not answer as it should: try again later"}, 502
    )


def trigger_log() -> None:
    """The trigger lines on stdout, one per run created, whatever Prefect does to logging."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False
