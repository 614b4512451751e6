"""The administrative-unit seed as the simulator reads it, and the communes
each simulated system serves before and after 01/07/2025."""

from __future__ import annotations

import csv
from datetime import date, datetime

from simulator.generator import PROVINCES, generate_dossiers
from simulator.units import UNITS_CSV, communes_for, load_units
from tests.simulator.checks import is_nfc

COLUMNS = [
    "unit_code",
    "name",
    "level",
    "province_code",
    "district_code",
    "district_name",
    "valid_from",
    "valid_to",
    "successor_code",
]
MERGER = date(2025, 7, 1)


def test_csv_has_exact_columns_and_nfc_text() -> None:
    text = UNITS_CSV.read_text(encoding="utf-8")
    assert is_nfc(text)
    with UNITS_CSV.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS


def test_versions_are_unique_and_well_formed() -> None:
    units = load_units()
    keys = [(unit.unit_code, unit.valid_from) for unit in units]
    assert len(keys) == len(set(keys))
    provinces = {unit.unit_code for unit in units if unit.level == "province"}
    for unit in units:
        assert len(unit.unit_code) == (2 if unit.level == "province" else 5), unit
        assert unit.unit_code.isdigit() and unit.province_code in provinces


def test_every_old_unit_ends_before_the_merger_and_points_to_a_live_successor() -> None:
    units = load_units()
    live = {(u.level, u.unit_code) for u in units if u.valid_on(MERGER)}
    ended = [unit for unit in units if unit.valid_to is not None]
    assert len(ended) == 63 + 10_035
    for unit in ended:
        assert unit.valid_to == date(2025, 6, 30)
        assert (unit.level, unit.successor_code) in live, unit


def test_each_partner_system_switches_from_old_to_new_communes() -> None:
    units = load_units()
    expected = {  # legacy communes served -> current ones they map to by default
        "binh-duong": (91, 36),  # all of Bình Dương
        "dong-nai": (159, 55),  # all of Đồng Nai (without Bình Phước)
        "kien-giang": (9, 2),  # Thành phố Phú Quốc -> đặc khu Phú Quốc, Thổ Châu
    }
    for province in PROVINCES:
        old = communes_for(units, province, date(2025, 6, 30))
        new = communes_for(units, province, MERGER)
        assert (len(old), len(new)) == expected[province]
        assert {u.successor_code for u in old} == {u.unit_code for u in new}
    phu_quoc = communes_for(units, "kien-giang", MERGER)
    assert [(u.unit_code, u.name) for u in phu_quoc] == [
        ("31078", "Đặc khu Phú Quốc"),
        ("31105", "Đặc khu Thổ Châu"),
    ]


def test_a_dossier_shows_no_finish_after_the_moment_it_is_asked() -> None:
    cut = datetime(2025, 9, 20)
    full = generate_dossiers("binh-duong", "2025-09")
    shown = generate_dossiers("binh-duong", "2025-09", cut_at=cut)
    finished_later = [r for r in full if (r["NgayKetThucXuLy"] or "") > "20250920"]
    assert len(finished_later) > 50  # late-month finishes exist in the dossiers' full lives
    assert len(shown) == len(full)
    for row in shown:
        for field in ("NgayKetThucXuLy", "NgayNhanBoSung", "NgayCapNhat"):
            assert (row[field] or "") < "20250920", (field, row["MaHoSo"])

    def in_progress(rows: list[dict]) -> int:
        return sum(r["TrangThaiHoSo"] == "Đang xử lý" for r in rows)

    # those dossiers are still being processed on 20/09 (a few are deliberate defects)
    assert in_progress(shown) - in_progress(full) >= len(finished_later) - 20
