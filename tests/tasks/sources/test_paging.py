"""Offset and cursor paging, API-key auth and incremental pulls, against the simulator."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest
from pytest_httpserver import HTTPServer

from flows.plans import load_plans
from simulator.datasets import generate_records
from simulator.server import SimulatorHandle, start_in_thread
from tasks.datasets import dataset_kind
from tasks.load.publish import BatchInfo, publish_batch
from tasks.load.stage import stage_batch
from tasks.settings import PROJECT_ROOT
from tasks.sources.http_api import SIMULATOR_TOKEN_ENV, SIMULATOR_URL_ENV, resolve_request
from tasks.sources.http_api.client import fetch_pages
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.pull import pull_source
from tasks.validate.run import Verdict
from tests.landing import land_records, portal_request
from tests.tasks.sources.records import KEY
from warehouse.db import open_warehouse

PERIOD = "2026-10"
PLAN = load_plans(PROJECT_ROOT / "flows" / "plans")["binh-duong-cu-tru-dat-dai"]
DATASETS = {d.id: d for d in PLAN.datasets}


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorHandle]:
    with start_in_thread(drop_periods=[PERIOD]) as handle:
        yield handle


@pytest.fixture
def on_simulator(simulator, monkeypatch) -> SimulatorHandle:
    for source in PLAN.sources.values():
        monkeypatch.delenv(source.url_env, raising=False)
    monkeypatch.setenv(SIMULATOR_URL_ENV, simulator.url)
    monkeypatch.setenv(SIMULATOR_TOKEN_ENV, simulator.token)
    return simulator


def keys(path: Path, field: str) -> list:
    return pq.read_table(path).column(field).to_pylist()


@pytest.mark.parametrize(
    ("dataset", "key", "style"),
    [("land_parcels", "MaThuaDat", "offset"), ("residence_records", "MaHoSoCuTru", "cursor")],
)
def test_each_paging_style_lands_every_row_once(on_simulator, tmp_path, dataset, key, style):
    requests: list[httpx.Request] = []
    request, _ = resolve_request(PLAN, DATASETS[dataset], PERIOD)
    with httpx.Client(trust_env=False, event_hooks={"request": [requests.append]}) as client:
        pages = list(fetch_pages(request, client))
    truth = [r[key] for r in generate_records(dataset, "binh-duong", PERIOD)]
    paginator = {"offset": "offset", "cursor": "json_link"}[style]
    assert (
        request.paginator.type == paginator and [r[key] for p in pages for r in p.records] == truth
    )
    assert len(requests) == len(pages) == -(-len(truth) // request.page_size)
    if style == "offset":  # the land system takes an API key header, not a bearer token
        assert all("x-api-key" in r.headers and "authorization" not in r.headers for r in requests)


def test_an_incremental_pull_asks_only_for_changes_and_upserts(on_simulator, tmp_path):
    dataset = DATASETS["residence_records"]
    full, _ = pull_source(PLAN, dataset, PERIOD, tmp_path / "1.parquet", {"watermark": None})
    mark = full.source_state["watermark"]
    since, _ = pull_source(PLAN, dataset, PERIOD, tmp_path / "2.parquet", {"watermark": mark})
    # the watermark goes back to the API in its own spelling, the latest stamp landed
    stamps = [r["NgayCapNhat"] for r in generate_records("residence_records", "binh-duong", PERIOD)]
    assert full.replace_slice and mark == max(s for s in stamps if s and s.isdecimal())
    assert not since.replace_slice and since.rows == 0
    assert since.skipped == f"no change since {mark}" and since.source_state["watermark"] == mark


def test_an_incremental_batch_of_changes_upserts_without_touching_the_rest(tmp_path):
    rows = [dict(r) for r in generate_records("residence_records", "binh-duong", PERIOD)[:3]]
    first = publish_rows(tmp_path, "b1", rows, replace_slice=True)
    changed = [rows[0] | {"DaXacThuc": 0, "DaLamSach": 0, "DaSoHoa": 1}]
    second = publish_rows(tmp_path, "b2", changed, replace_slice=False)
    assert [n for n, _ in first] == [n for n, _ in second]  # the other rows are still there
    assert dict(second)[rows[0]["MaHoSoCuTru"]] is False  # and the changed one changed
    replaced = publish_rows(tmp_path, "b3", changed, replace_slice=True)
    assert len(first) == 3 and len(replaced) == 1  # what a full batch of one row would do


def publish_rows(folder: Path, batch_id: str, rows: list, replace_slice: bool) -> list:
    """Land, stage and publish rows as one batch; (record, authenticated) in core after."""
    kind = dataset_kind("residence_records")
    landed, staged = folder / f"{batch_id}.parquet", folder / f"{batch_id}.duckdb"
    land_records(rows, landed, kind.id)
    stage_batch(landed, staged, KEY, kind)
    batch = BatchInfo(batch_id, "p", kind.id, PERIOD, "/x", None, datetime.now(),
                      kind.core_table, tuple(kind.key_columns), replace_slice)  # fmt: skip
    con = open_warehouse(folder / "w.duckdb")
    try:
        publish_batch(con, staged, batch, Verdict(outcomes=[]))
        return con.execute(
            "SELECT record_id, authenticated FROM core.residence_records ORDER BY 1"
        ).fetchall()
    finally:
        con.close()


def test_a_next_link_to_another_host_is_refused(httpserver: HTTPServer):
    body = {"total": 2, "data": [{"a": 1}], "next": "http://evil.example.invalid/steal?cursor=x"}
    httpserver.expect_request("/p/api/v1/x").respond_with_json(body)
    request = portal_request("t/x", httpserver.url_for("/p"), "/api/v1/x", "secret-token",
                             PERIOD, 1, style="cursor")  # fmt: skip
    with httpx.Client(trust_env=False) as client, pytest.raises(PermanentSourceError) as caught:
        list(fetch_pages(request, client))
    assert "another origin refused" in str(caught.value) and "secret" not in str(caught.value)


def test_api_key_goes_in_the_configured_header(httpserver: HTTPServer):
    httpserver.expect_request("/p/api/v1/x", headers={"X-Key": "k-123"}).respond_with_json(
        {"offset": 0, "limit": 5, "total": 1, "data": [{"a": 1}]}
    )
    request = portal_request("t/x", httpserver.url_for("/p"), "/api/v1/x", "k-123", PERIOD, 5,
                             style="offset", auth="api_key", api_key_header="X-Key")  # fmt: skip
    with httpx.Client(trust_env=False) as client:
        assert [p.records for p in fetch_pages(request, client)] == [[{"a": 1}]]
    assert dataclasses.replace(request, auth="bearer").headers() == {
        "Authorization": "Bearer k-123"
    }
