"""The 2025 reorganisation: old and new unit codes land on the right unit, and
reports on the old and the new boundaries add up to the same totals."""

from __future__ import annotations

import pytest

from tasks.load.marts import refresh_marts
from tasks.load.plans import area_unit_codes
from tests.builders import PLAN_ID, dossier, seed_plan


def received(seq: int, day: str, unit: str) -> dict:
    """A dossier received on `day` (YYYYMMDD) by `unit`, finished the next day."""
    return dossier(
        seq,
        MaHoSo=f"G22.74.05-{day[2:]}-{seq:04d}",
        MaDonVi=unit,
        NgayNopHoSo=f"{day}080000",
        NgayTiepNhan=f"{day}090000",
        NgayHenTra=f"{day}170000",
        NgayKetThucXuLy=f"{day}120000",
        NgayCapNhat=f"{day}120000",
    )


# Bình Dương plan. March 2025: old communes. September 2025: the provincial
# system still sends an old code (25714) next to a new one (25741).
MARCH = [received(1, "20250310", "25708"), received(2, "20250311", "25942")]
SEPTEMBER = [received(3, "20250910", "25714"), received(4, "20250911", "25741")]


@pytest.fixture
def merged(warehouse, publish):
    publish(MARCH, period="2025-03")
    publish(SEPTEMBER, period="2025-09")
    refresh_marts(warehouse, PLAN_ID)
    return warehouse


def test_crosswalk_maps_every_old_unit_to_its_successor(warehouse):
    rows = warehouse.execute(
        "SELECT unit_code, new_unit_code, new_province_code, old_unit_code, old_province_code"
        " FROM core.unit_crosswalk WHERE unit_code IN ('74', '70', '25708', '25741', '26053',"
        " '31120', '31150') ORDER BY unit_code"
    ).fetchall()
    assert rows == [
        ("25708", "25741", "79", "25708", "74"),  # Bình Dương -> TP.HCM
        ("25741", "25741", "79", "25741", "74"),  # new ward: old province Bình Dương
        ("26053", "26086", "75", "26053", "75"),  # Đồng Nai stays Đồng Nai
        ("31120", "31153", "91", "31120", "91"),  # Kiên Giang (Phú Quốc) -> An Giang
        ("31150", "31150", "91", "31150", "91"),
        ("70", "75", "75", "70", "70"),  # Bình Phước -> Đồng Nai
        ("74", "79", "79", "74", "74"),
    ]


def test_a_plan_signed_with_binh_duong_keeps_its_area_after_the_merger(warehouse):
    codes = set(area_unit_codes(warehouse, seed_plan()))
    assert {"25708", "25714", "25942", "25741", "25744", "25951"} <= codes
    assert not codes & {"26080", "31150"}  # other provinces' wards are not its area


def test_old_code_after_the_merger_lands_on_the_successor(merged):
    rows = merged.execute(
        "SELECT period, unit_code, dossiers_received FROM marts.dossier_kpis ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("2025-03", "25708", 1),  # before 01/07/2025 an old code is the right unit
        ("2025-03", "25942", 1),
        ("2025-09", "25741", 2),  # 25714 sent in September counts for Thủ Dầu Một
    ]


@pytest.mark.parametrize(
    ("boundary", "expected"),
    [
        (
            "old",
            [
                ("2025-03", "74", "25708", 1),
                ("2025-03", "74", "25942", 1),
                ("2025-09", "74", "25714", 1),
                ("2025-09", "74", "25741", 1),  # a merged ward cannot be split
            ],
        ),
        (
            "new",
            [
                ("2025-03", "79", "25741", 1),
                ("2025-03", "79", "25951", 1),
                ("2025-09", "79", "25741", 2),
            ],
        ),
    ],
)
def test_reports_read_on_either_boundary(merged, boundary, expected):
    rows = merged.execute(
        "SELECT period, province_code, unit_code, dossiers_received"
        " FROM marts.dossier_kpis_by_boundary WHERE boundary = ? ORDER BY ALL",
        [boundary],
    ).fetchall()
    assert rows == expected


def test_both_boundaries_add_up_to_the_same_totals(merged):
    counts = (
        "sum(dossiers_received), sum(dossiers_digitised), sum(dossiers_with_result),"
        " sum(dossiers_e_result), sum(dossiers_synced), sum(dossiers_online),"
        " sum(dossiers_judged), sum(dossiers_on_time), sum(dossiers_reused)"
    )
    by_period = f"SELECT period, {counts} FROM {{}} GROUP BY period ORDER BY period"
    unit_level = merged.execute(by_period.format("marts.dossier_kpis")).fetchall()
    old = merged.execute(
        by_period.format("marts.dossier_kpis_by_boundary WHERE boundary = 'old'")
    ).fetchall()
    new = merged.execute(
        by_period.format("marts.dossier_kpis_by_boundary WHERE boundary = 'new'")
    ).fetchall()
    assert old == new == unit_level
    assert [r[1] for r in unit_level] == [2, 2]
