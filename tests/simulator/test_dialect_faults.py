"""Fault modes and determinism on the dialect routes, over a real socket."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator.faults import FaultPlan
from simulator.server import SimulatorHandle, start_in_thread
from tests.simulator.checks import SCALE, SEED

PERIOD = "2026-01"
A = "/binh-duong/motcua/api/v2/ho-so"
B = "/binh-duong/egov/api/hoso"
B_PARAMS = {"tuNgay": "2026-01-01", "denNgay": "2026-01-31", "pageSize": 100}


def get_a(sim: SimulatorHandle, url: str | None = None) -> httpx.Response:
    url = url or f"{sim.url}{A}?thang={PERIOD}&limit=100"
    return httpx.get(url, headers={"X-API-Key": sim.token}, trust_env=False)


def get_b(sim: SimulatorHandle, cursor: str | None = None) -> httpx.Response:
    params = B_PARAMS | ({"cursor": cursor} if cursor else {})
    headers = {"Authorization": f"Bearer {sim.token}"}
    return httpx.get(f"{sim.url}{B}", params=params, headers=headers, trust_env=False)


def next_url(answer: httpx.Response) -> str:
    return answer.headers["link"].removeprefix("<").removesuffix('>; rel="next"')


@pytest.fixture
def faulty(request: pytest.FixtureRequest) -> Iterator[SimulatorHandle]:
    plan = FaultPlan(tuple(request.param), retry_after_s=1, slow_s=0.1)
    with start_in_thread(seed=SEED, scale=SCALE, faults=plan, drop_periods=[PERIOD]) as sim:
        yield sim


@pytest.mark.parametrize("faulty", [["rate_limit"]], indirect=True)
def test_a_transport_fault_has_no_paging_headers_and_fires_once(faulty):
    first, again = get_a(faulty), get_a(faulty)
    assert first.status_code == 429 and first.headers["retry-after"] == "1"
    assert "link" not in first.headers and "x-total-count" not in first.headers
    assert again.status_code == 200 and "link" in again.headers
    assert get_b(faulty).status_code == 429 and get_b(faulty).status_code == 200  # own slice
    assert faulty.faults.fired["rate_limit"] == 2


@pytest.mark.parametrize("faulty", [["duplicate_page"]], indirect=True)
def test_duplicate_page_serves_the_previous_rows_under_the_next_link(faulty):
    one = get_a(faulty)
    two = get_a(faulty, next_url(one))
    assert two.json()["result"]["data"] == one.json()["result"]["data"]
    assert "after=" in two.headers["link"] and two.headers["link"] != one.headers["link"]
    b_one = get_b(faulty)
    b_two = get_b(faulty, b_one.json()["meta"]["nextCursor"])
    assert b_two.json()["items"] == b_one.json()["items"]


@pytest.mark.parametrize("faulty", [["schema_mismatch", "wrong_total"]], indirect=True)
def test_permanent_shape_faults_fit_each_dialect(faulty):
    # schema_mismatch comes first in MODES, so it is the one that fires
    a, b = get_a(faulty).json(), get_b(faulty).json()
    assert "data" not in a["result"] and a["result"]["items"]
    assert "items" not in b and b["data"]


@pytest.mark.parametrize("faulty", [["wrong_total"]], indirect=True)
def test_wrong_total_is_off_by_one_in_each_dialect(faulty, simulator):
    # the session simulator has the same seed and scale, and no faults
    truth = int(get_a(simulator).headers["x-total-count"])
    assert get_b(simulator).json()["meta"]["totalItems"] == truth
    assert get_a(faulty).headers["x-total-count"] == str(truth + 1)
    assert get_b(faulty).json()["meta"]["totalItems"] == truth + 1


@pytest.mark.parametrize("faulty", [["unauthorized"]], indirect=True)
def test_unauthorized_refuses_a_good_key(faulty):
    assert get_a(faulty).status_code == 401 and get_b(faulty).status_code == 401


def test_two_servers_with_one_seed_serve_the_same_dialect_bytes(simulator):
    with start_in_thread(seed=SEED, scale=SCALE, token="other", drop_periods=[PERIOD]) as twin:
        for get in (get_a, get_b):
            assert get(simulator).content == get(twin).content
