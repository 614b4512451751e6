"""Faults a provincial API really produces, served by pytest-httpserver over a socket.

Each test scripts the answers of one endpoint: a few faulty ones first, then
correct pages. Retry-After and backoff stay short so the whole file runs fast.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tasks.sources.http_api import pull_to_landing
from tasks.sources.http_api.client import Page, PageRequest, fetch_pages
from tasks.sources.http_api.errors import PermanentSourceError, TransientSourceError
from tasks.sources.http_api.landing import land_pages
from tests.landing import PORTAL_MAPPER, portal_request
from tests.tasks.sources.records import FIELDS, dossier

ENDPOINT = "/api/v1/dossiers"
PAGES = [[dossier(1), dossier(2)], [dossier(3)]]  # page size 2, three rows
TOKEN = "fault-test-token"
Answer = Callable[[Request], Response]


class Script:
    """Answers `first` in turn, then `then` for every later request; logs each request."""

    def __init__(self, *first: Answer | Response, then: Answer) -> None:
        self.first, self.then = list(first), then
        self.calls: list[tuple[float, int]] = []

    def __call__(self, request: Request) -> Response:
        self.calls.append((time.monotonic(), int(request.args.get("page", "0"))))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return Response(status=401)
        answer = self.first.pop(0) if self.first else self.then
        return answer if isinstance(answer, Response) else answer(request)


def body(page: int, total: int | None = None, next_page: int | str | None = "auto") -> dict:
    if next_page == "auto":
        next_page = page + 1 if page < len(PAGES) else None
    rows = PAGES[page - 1] if page <= len(PAGES) else []
    total = sum(map(len, PAGES)) if total is None else total
    return {"page": page, "page_size": 2, "total": total, "next_page": next_page, "data": rows}


def json_response(payload: Any, status: int = 200, **headers: str) -> Response:
    return Response(json.dumps(payload), status, headers, content_type="application/json")


def correct(request: Request) -> Response:
    return json_response(body(int(request.args["page"])))


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    # Threaded, so a deliberately slow answer does not hold up the retry behind it.
    with HTTPServer(threaded=True) as http:
        yield http


@pytest.fixture
def serve(server: HTTPServer) -> Iterator[Callable[[Script], PageRequest]]:
    def _serve(script: Script) -> PageRequest:
        server.expect_request(f"/prov{ENDPOINT}").respond_with_handler(script)
        return portal_request("test-plan/dossiers", server.url_for("/prov"), ENDPOINT, TOKEN,
                              "2026-10", 2)  # fmt: skip

    yield _serve
    server.clear()


def pull(request: PageRequest, timeout: float = 5.0) -> list[dict]:
    with httpx.Client(timeout=timeout, trust_env=False) as client:
        return [row for page in fetch_pages(request, client) for row in page.records]


def test_a_complete_pull_follows_next_page(serve: Callable[[Script], PageRequest]) -> None:
    script = Script(then=correct)
    assert pull(serve(script)) == [r for page in PAGES for r in page]
    assert [page for _, page in script.calls] == [1, 2]


def test_429_waits_for_retry_after_then_completes(serve: Callable[[Script], PageRequest]) -> None:
    script = Script(Response(status=429, headers={"Retry-After": "1"}), then=correct)
    rows = pull(serve(script))
    (first, _), (second, _) = script.calls[:2]
    assert second - first >= 0.95
    assert len(rows) == 3 and [page for _, page in script.calls] == [1, 1, 2]


def test_503_twice_then_ok_completes(serve: Callable[[Script], PageRequest]) -> None:
    script = Script(Response(status=503), Response(status=503), then=correct)
    assert len(pull(serve(script))) == 3
    assert [page for _, page in script.calls] == [1, 1, 1, 2]


def test_retries_stop_at_the_cap(serve: Callable[[Script], PageRequest]) -> None:
    script = Script(then=lambda _: Response(status=503, headers={"Retry-After": "0"}))
    with pytest.raises(TransientSourceError, match="page 1: HTTP 503"):
        pull(serve(script))
    assert len(script.calls) == 6


def test_a_truncated_json_body_is_retried(serve: Callable[[Script], PageRequest]) -> None:
    truncated = json.dumps(body(1))[:40]
    script = Script(Response(truncated, content_type="application/json"), then=correct)
    assert len(pull(serve(script))) == 3
    assert [page for _, page in script.calls] == [1, 1, 2]


def test_a_body_without_data_is_permanent(serve: Callable[[Script], PageRequest]) -> None:
    script = Script(then=lambda _: json_response({"items": [], "total": 0}))
    with pytest.raises(PermanentSourceError, match="finds no list of records") as caught:
        pull(serve(script))
    assert len(script.calls) == 1
    assert "test-plan/dossiers" in str(caught.value) and f"/prov{ENDPOINT}" in str(caught.value)


def test_a_wrong_reported_total_lands_nothing(
    serve: Callable[[Script], PageRequest], tmp_path: Path
) -> None:
    script = Script(then=lambda r: json_response(body(int(r.args["page"]), total=5)))
    with pytest.raises(PermanentSourceError, match="reported 5 rows but 3 arrived"):
        pull_to_landing(serve(script), tmp_path / "batch.parquet", PORTAL_MAPPER, FIELDS)
    assert list(tmp_path.iterdir()) == []


def test_a_page_that_times_out_once_is_retried(serve: Callable[[Script], PageRequest]) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return correct(request)

    script = Script(slow, then=correct)
    assert len(pull(serve(script), timeout=0.3)) == 3
    assert [page for _, page in script.calls] == [1, 1, 2]


def test_a_wrong_token_is_refused_without_retry(serve: Callable[[Script], PageRequest]) -> None:
    script = Script(then=correct)
    wrong = dataclasses.replace(serve(script), token="nope-secret")
    with pytest.raises(PermanentSourceError, match="HTTP 401") as caught:
        pull(wrong)
    assert len(script.calls) == 1 and "nope-secret" not in str(caught.value)


def test_a_failing_pull_leaves_neither_file_nor_part(tmp_path: Path) -> None:
    def pages() -> Iterator[Page]:
        yield Page(1, body(1)["data"], 3, None)
        raise PermanentSourceError("page 2 broke")

    with pytest.raises(PermanentSourceError):
        land_pages(pages(), tmp_path / "batch.parquet", PORTAL_MAPPER, FIELDS)
    assert list(tmp_path.iterdir()) == []


def test_landing_keeps_values_as_text(tmp_path: Path) -> None:
    record = dossier(1, SoGiayToChuHoSo="001234567890", KenhThucHien=2)
    landed_pages = land_pages([Page(1, [record], 3, None)], tmp_path / "b.parquet", PORTAL_MAPPER,
                              FIELDS)  # fmt: skip
    (landed,) = pq.read_table(tmp_path / "b.parquet").to_pylist()
    assert (landed_pages.rows, landed_pages.reported_total) == (1, 3)
    assert landed["SoGiayToChuHoSo"] == "001234567890" and landed["KenhThucHien"] == "2"
    assert json.loads(landed["ThanhPhanHoSo"]) == record["ThanhPhanHoSo"]
    assert "ChuHoSo" not in landed  # the applicant's name is never landed
