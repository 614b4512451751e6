"""Fixtures: one simulator served over a real socket for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator.server import SimulatorHandle, start_in_thread
from simulator.units import load_units
from tests.simulator.checks import SCALE, SEED


@pytest.fixture(scope="session")
def known_units() -> set[str]:
    return {unit.unit_code for unit in load_units()}


@pytest.fixture(scope="session")
def simulator() -> Iterator[SimulatorHandle]:
    with start_in_thread(seed=SEED, scale=SCALE) as handle:
        yield handle


@pytest.fixture
def client(simulator: SimulatorHandle) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {simulator.token}"}
    with httpx.Client(base_url=simulator.url, headers=headers, trust_env=False) as http:
        yield http
