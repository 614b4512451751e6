"""The simulator over a real socket, as the pull step and a curious user see it."""

from __future__ import annotations

import logging
import re
import threading

import httpx
import pytest

from simulator.generator import generate_dossiers
from simulator.server import SimulatorHandle, start_in_thread
from tests.simulator.checks import SCALE, SEED

PATH = "/binh-duong/api/v1/dossiers"


def test_health_needs_no_token(simulator: SimulatorHandle) -> None:
    answer = httpx.get(f"{simulator.url}/health", trust_env=False)
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_pages_concatenate_to_the_full_period(client: httpx.Client) -> None:
    rows, page, pages = [], 1, 0
    while page is not None:
        body = client.get(PATH, params={"period": "2025-08", "page": page, "page_size": 97}).json()
        rows += body["data"]
        page, pages = body["next_page"], pages + 1
    assert rows == generate_dossiers("binh-duong", "2025-08", seed=SEED, scale=SCALE)
    assert body["total"] == len(rows) and pages == -(-len(rows) // 97)


def test_default_and_maximum_page_sizes(client: httpx.Client) -> None:
    body = client.get(PATH, params={"period": "2025-08"}).json()
    assert (body["page"], body["page_size"], len(body["data"])) == (1, 500, 500)
    assert body["province"] == "binh-duong" and body["period"] == "2025-08"
    assert client.get(PATH, params={"period": "2025-08", "page_size": 1000}).status_code == 200
    past_end = client.get(PATH, params={"period": "2025-08", "page": 99}).json()
    assert past_end["data"] == [] and past_end["next_page"] is None


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic plan06-demo-token", "Bearer"])
def test_a_bad_token_is_401(simulator: SimulatorHandle, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    answer = httpx.get(
        f"{simulator.url}{PATH}", params={"period": "2025-08"}, headers=headers, trust_env=False
    )
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"


def test_an_unknown_province_is_404(client: httpx.Client) -> None:
    answer = client.get("/ha-noi/api/v1/dossiers", params={"period": "2025-08"})
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"period": "2025-13"},
        {"period": "202508"},
        {"period": "2019-12"},
        {"period": "2025-08", "page": "0"},
        {"period": "2025-08", "page": "x"},
        {"period": "2025-08", "page_size": "1001"},
        {"period": "2025-08", "page_size": "-5"},
    ],
)
def test_bad_parameters_are_400_with_a_message(client: httpx.Client, params: dict) -> None:
    answer = client.get(PATH, params=params)
    assert answer.status_code == 400 and answer.json()["message"]


def test_two_servers_with_one_seed_serve_the_same_bytes(client: httpx.Client) -> None:
    query = {"period": "2026-01", "page": 2, "page_size": 200}
    with start_in_thread(seed=SEED, scale=SCALE, token="other") as twin:
        twin_get = httpx.get(
            f"{twin.url}{PATH}",
            params=query,
            headers={"Authorization": "Bearer other"},
            trust_env=False,
        )
    assert twin_get.content == client.get(PATH, params=query).content


def test_seed_changes_what_is_served(client: httpx.Client) -> None:
    query = {"period": "2026-01", "page_size": 50}
    with start_in_thread(seed=SEED + 1, scale=SCALE) as other:
        headers = {"Authorization": f"Bearer {other.token}"}
        served = httpx.get(f"{other.url}{PATH}", params=query, headers=headers, trust_env=False)
    assert served.content != client.get(PATH, params=query).content


def test_start_and_stop_from_a_worker_thread() -> None:
    outcome: dict[str, object] = {}

    def run() -> None:
        with start_in_thread() as handle:
            outcome["status"] = httpx.get(f"{handle.url}/health", trust_env=False).status_code
            outcome["url"] = handle.url
            handle.stop()  # stopping twice (again on exit) is harmless

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=15)
    assert outcome["status"] == 200
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", str(outcome["url"]))


def test_serving_logs_no_personal_data(
    client: httpx.Client, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    body = client.get(PATH, params={"period": "2025-11", "page_size": 1000}).json()
    owners = {row["ChuHoSo"] for row in body["data"]}
    captured = caplog.text + "".join(capfd.readouterr())
    assert not re.search(r"\d{11,12}", captured)
    assert not any(owner in captured for owner in owners)
