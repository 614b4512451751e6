"""Every API fault mode of the simulator against the real HTTP source, over loopback.

Recoverable modes must end with exactly the fault-free rows (retries, Retry-After,
page-integrity restarts); permanent ones must fail at once with a message that
names plan, dataset and URL path and never the token.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from simulator.faults import MODES, PERMANENT, RECOVERABLE, FaultPlan, parse_modes
from simulator.generator import generate_dossiers
from simulator.server import start_in_thread
from tasks.datasets import dataset_kind
from tasks.sources.http_api.errors import PermanentSourceError
from tests.landing import portal_request, pull_portal

PERIOD, SCALE, PAGE = "2025-08", 0.5, 200
FIELDS = dataset_kind("dossiers").field_names
TRUTH = [r["MaHoSo"] for r in generate_dossiers("binh-duong", PERIOD, scale=SCALE)]
PERMANENT_MESSAGES = {
    "unauthorized": "HTTP 401: the token was refused",
    "schema_mismatch": "data_selector 'data' finds no list of records",
    "wrong_total": "complete pulls, nothing was loaded",
}


def pull(plan: FaultPlan, target: Path, timeout_s: float = 5.0) -> tuple[list, float]:
    with start_in_thread(scale=SCALE, faults=plan, drop_periods=[PERIOD]) as sim:
        request = portal_request("test-plan/dossiers", f"{sim.url}/binh-duong",
                                 "/api/v1/dossiers", sim.token, PERIOD, PAGE)  # fmt: skip
        started = time.monotonic()
        try:
            landed = pull_portal(request, target, timeout_s)
        finally:
            elapsed = time.monotonic() - started
    return pq.read_table(landed.path).column("MaHoSo").to_pylist(), elapsed


def test_there_are_at_least_8_modes_and_all_means_every_recoverable_one():
    assert len(MODES) >= 8 and parse_modes("all") == RECOVERABLE
    with pytest.raises(ValueError, match="unknown fault mode"):
        parse_modes("rate_limit,flood")


@pytest.mark.parametrize("mode", RECOVERABLE)
def test_a_recoverable_fault_ends_with_exactly_the_true_rows(mode, tmp_path):
    # "slow" answers after 1 s against a 0.5 s client timeout: a timeout, retried
    plan = FaultPlan((mode,), retry_after_s=1, slow_s=1.0)
    rows, elapsed = pull(plan, tmp_path / "b.parquet", 0.5 if mode == "slow" else 5.0)
    assert plan.fired[mode] == 1
    assert rows == TRUTH  # nothing lost, nothing doubled, same order
    if mode == "rate_limit":
        assert elapsed >= 1.0  # Retry-After honoured


@pytest.mark.parametrize("mode", PERMANENT)
def test_a_permanent_fault_fails_at_once_with_a_message(mode, tmp_path):
    plan = FaultPlan((mode,))
    with pytest.raises(PermanentSourceError) as caught:
        pull(plan, tmp_path / "b.parquet")
    message = str(caught.value)
    assert PERMANENT_MESSAGES[mode] in message
    assert "test-plan/dossiers" in message and "/binh-duong/api/v1/dossiers" in message
    assert "plan06-demo-token" not in message
    assert list(tmp_path.iterdir()) == []  # nothing landed, no partial file
    if mode != "wrong_total":  # the pull is not retried: one request
        assert plan.fired[mode] == 1
