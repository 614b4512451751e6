"""Pulling from the province simulator over a real loopback socket."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest

from flows.plans import PlanSpec, load_plans
from simulator.generator import generate_dossiers
from simulator.server import SimulatorHandle, start_in_thread
from tasks.settings import PROJECT_ROOT
from tasks.sources.http_api import (
    SIMULATOR_TOKEN_ENV,
    SIMULATOR_URL_ENV,
    resolve_request,
)
from tasks.sources.http_api.client import PageRequest, fetch_pages
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.http_api.landing import ROW_GROUP_ROWS
from tests.landing import portal_request, pull_portal

SEED, SCALE, PERIOD = 3, 0.5, "2025-08"
PLAN = load_plans(PROJECT_ROOT / "flows" / "plans")["binh-duong-cu-tru-dat-dai"]
WRONG_TOKEN = "wrong-secret-token-do-not-log-4711"


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorHandle]:
    with start_in_thread(seed=SEED, scale=SCALE) as handle:
        yield handle


@pytest.fixture
def on_simulator(simulator: SimulatorHandle, monkeypatch: pytest.MonkeyPatch) -> SimulatorHandle:
    """The plan's partner URL is unset, so its source resolves to the simulator."""
    source = PLAN.sources["dvc"]
    monkeypatch.delenv(source.url_env, raising=False)
    monkeypatch.delenv(source.token_env, raising=False)
    monkeypatch.setenv(SIMULATOR_URL_ENV, simulator.url)
    monkeypatch.setenv(SIMULATOR_TOKEN_ENV, simulator.token)
    return simulator


def counting_client(requests: list[httpx.Request]) -> httpx.Client:
    return httpx.Client(trust_env=False, event_hooks={"request": [requests.append]})


def request_for(plan: PlanSpec, period: str = PERIOD) -> PageRequest:
    request, _ = resolve_request(plan, plan.datasets[0], period)
    return request


def test_a_full_period_lands_exactly_total_rows_in_one_file(
    on_simulator: SimulatorHandle, tmp_path: Path
) -> None:
    expected = generate_dossiers("binh-duong", PERIOD, seed=SEED, scale=SCALE)
    request, simulated = resolve_request(PLAN, PLAN.datasets[0], PERIOD)
    landed = pull_portal(request, tmp_path / "batch.parquet")
    table = pq.read_table(landed.path)
    assert simulated and landed.rows == landed.reported_total == len(expected) == table.num_rows
    assert table.column("_row").to_pylist() == list(range(1, len(expected) + 1))
    assert table.column("MaTTHC").to_pylist() == [r["MaTTHC"] for r in expected]
    assert pq.ParquetFile(landed.path).num_row_groups == -(-len(expected) // ROW_GROUP_ROWS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch.parquet"]
    assert landed.url_path == "/binh-duong/api/v1/dossiers"


def test_a_wrong_token_fails_at_once_without_retrying(
    on_simulator: SimulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SIMULATOR_TOKEN_ENV, WRONG_TOKEN)
    requests: list[httpx.Request] = []
    started = time.monotonic()
    with counting_client(requests) as client, pytest.raises(PermanentSourceError) as caught:
        list(fetch_pages(request_for(PLAN), client))
    message = str(caught.value)
    assert len(requests) == 1 and time.monotonic() - started < 1.0
    assert "binh-duong-cu-tru-dat-dai/dossiers" in message
    assert "/binh-duong/api/v1/dossiers" in message and "401" in message
    assert WRONG_TOKEN not in message and WRONG_TOKEN not in repr(caught.value)


def test_a_refused_pull_leaves_no_landed_file(
    on_simulator: SimulatorHandle, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SIMULATOR_TOKEN_ENV, WRONG_TOKEN)
    with pytest.raises(PermanentSourceError):
        pull_portal(request_for(PLAN), tmp_path / "batch.parquet")
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_province_is_a_permanent_404(simulator: SimulatorHandle) -> None:
    request = portal_request(
        "ha-noi/dossiers",
        f"{simulator.url}/ha-noi",
        "/api/v1/dossiers",
        simulator.token,
        PERIOD,
        50,
    )
    requests: list[httpx.Request] = []
    with counting_client(requests) as client, pytest.raises(PermanentSourceError) as caught:
        list(fetch_pages(request, client))
    assert len(requests) == 1
    assert "HTTP 404" in str(caught.value) and "/ha-noi/api/v1/dossiers" in str(caught.value)


def test_a_partner_url_in_the_environment_wins_over_the_simulator(
    on_simulator: SimulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = PLAN.sources["dvc"]
    monkeypatch.setenv(source.url_env, "https://dvc.binhduong.example.invalid/")
    monkeypatch.setenv(source.token_env, "partner-token")
    request, simulated = resolve_request(PLAN, PLAN.datasets[0], PERIOD)
    assert not simulated and request.token == "partner-token"
    assert request.path == "/api/v1/dossiers" and request.page_size == source.page_size


def test_no_partner_url_and_no_simulator_names_the_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = PLAN.sources["dvc"]
    for name in (source.url_env, source.token_env, SIMULATOR_URL_ENV, SIMULATOR_TOKEN_ENV):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(PermanentSourceError, match=source.url_env) as caught:
        resolve_request(PLAN, PLAN.datasets[0], PERIOD)
    assert source.token_env in str(caught.value)
