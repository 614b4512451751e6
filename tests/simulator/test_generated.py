"""Generated provinces (scale test): named from PLAN06_SIMULATOR_PROVINCES, same data everywhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.datasets import generate_records
from simulator.generated import GENERATED_ENV
from simulator.profiles import load_profiles


@pytest.fixture
def two_generated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(GENERATED_ENV, "48, 92")
    load_profiles.cache_clear()
    yield
    monkeypatch.delenv(GENERATED_ENV)
    load_profiles.cache_clear()


def test_each_code_becomes_a_province_beside_the_seed_ones(two_generated: None) -> None:
    provinces = load_profiles().provinces
    assert {"tinh-48", "tinh-92", "binh-duong", "dong-nai", "kien-giang"} <= set(provinces)
    assert provinces["tinh-48"].area.province_code == "48"


def test_a_generated_province_serves_the_same_rows_every_time(two_generated: None) -> None:
    first = generate_records("land_parcels", "tinh-92", "2026-10", scale=0.2)
    load_profiles.cache_clear()
    assert first and first == generate_records("land_parcels", "tinh-92", "2026-10", scale=0.2)


def test_without_the_variable_only_the_seed_provinces() -> None:
    load_profiles.cache_clear()
    assert not [p for p in load_profiles().provinces if p.startswith("tinh-")]
