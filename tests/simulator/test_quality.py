"""Bad rows and improving rates: the signals the pipeline exists to measure."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from simulator.generator import PROVINCES, generate_dossiers
from simulator.profiles import load_profiles
from simulator.units import communes_for, load_units
from tests.simulator.checks import DEFECT_KINDS, defects, observed_rates

PERIODS = ("2025-01", "2025-02", "2025-03")


@pytest.mark.parametrize("province", PROVINCES)
def test_about_one_percent_bad_rows_of_every_kind(province: str, known_units: set[str]) -> None:
    seen: set[str] = set()
    for period in PERIODS:
        rows = generate_dossiers(province, period)
        counts = defects(rows, known_units)
        assert 0.005 <= sum(counts.values()) / len(rows) <= 0.02, counts
        seen |= set(counts)
    assert seen == DEFECT_KINDS


def test_bad_rows_change_with_the_seed(known_units: set[str]) -> None:
    def bad_codes(seed: int) -> list[str | None]:
        rows = generate_dossiers("dong-nai", "2025-05", seed=seed)
        return [row["MaHoSo"] for row in rows if defects([row], known_units)]

    assert bad_codes(0) != bad_codes(1)


@pytest.mark.parametrize("province", PROVINCES)
def test_rates_improve_from_2025_01_to_2026_10(province: str) -> None:
    early = observed_rates(generate_dossiers(province, "2025-01"))
    late = observed_rates(generate_dossiers(province, "2026-10"))
    for name, value in early.items():
        assert late[name] > value + 0.02, (name, value, late[name])
        assert late[name] < 1


def test_configured_curves_rise_every_month_and_stay_below_one() -> None:
    for profile in load_profiles().provinces.values():
        for curve in dict(profile.rates).values():
            values = [curve.at(month) for month in range(121)]
            assert all(a < b for a, b in pairwise(values))
            assert values[-1] < 1


@pytest.mark.parametrize("province", PROVINCES)
def test_commune_codes_switch_at_2025_07(province: str, known_units: set[str]) -> None:
    units = load_units()
    old = {u.unit_code for u in communes_for(units, province, date(2025, 6, 1))}
    new = {u.unit_code for u in communes_for(units, province, date(2025, 7, 1))}
    june = {row["MaDonVi"] for row in generate_dossiers(province, "2025-06")} & known_units
    july = {row["MaDonVi"] for row in generate_dossiers(province, "2025-07")} & known_units
    assert june == old
    assert july == new
