"""The administrative-unit seed: shape, keys, the 2025-07-01 crosswalk."""

from __future__ import annotations

import csv
from datetime import date

from simulator.generator import PROVINCES
from simulator.units import UNITS_CSV, communes_for, load_units
from tests.simulator.checks import is_nfc

COLUMNS = [
    "unit_code",
    "name",
    "level",
    "province_code",
    "valid_from",
    "valid_to",
    "successor_code",
    "simulator_province",
]
MERGER = date(2025, 7, 1)


def test_csv_has_exact_columns_and_nfc_text() -> None:
    text = UNITS_CSV.read_text(encoding="utf-8")
    assert is_nfc(text)
    with UNITS_CSV.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS


def test_codes_are_unique_and_well_formed() -> None:
    units = load_units()
    codes = [unit.unit_code for unit in units]
    assert len(codes) == len(set(codes))
    for unit in units:
        assert len(unit.unit_code) == (2 if unit.level == "province" else 5), unit
        assert unit.unit_code.isdigit() and unit.province_code in codes


def test_every_old_unit_ends_before_the_merger_and_points_to_a_live_successor() -> None:
    by_code = {unit.unit_code: unit for unit in load_units()}
    ended = [unit for unit in by_code.values() if unit.valid_to is not None]
    assert ended
    for unit in ended:
        assert unit.valid_to == date(2025, 6, 30)
        successor = by_code[unit.successor_code or ""]
        assert successor.valid_on(MERGER) and successor.level == unit.level


def test_each_partner_system_switches_from_old_to_new_communes() -> None:
    units = load_units()
    assert {unit.simulator_province for unit in units} - {None} == set(PROVINCES)
    for province in PROVINCES:
        old = communes_for(units, province, date(2025, 6, 30))
        new = communes_for(units, province, MERGER)
        assert 4 <= len(old) <= 6 and 2 <= len(new) <= 3
        assert not {u.unit_code for u in old} & {u.unit_code for u in new}
        assert {u.successor_code for u in old} == {u.unit_code for u in new}
