"""The official 2025 reorganisation: old and new unit codes land on the right
unit, a split commune is reported, and reports on the old and the new
boundaries add up to the same totals."""

from __future__ import annotations

from datetime import date

import pytest

from flows.plans import load_plans
from simulator.units import communes_for, load_units
from tasks.load.marts import refresh_marts
from tasks.load.plans import area_unit_codes
from tasks.settings import PROJECT_ROOT
from tests.builders import PLAN_ID, dossier, seed_plan

PLANS = load_plans(PROJECT_ROOT / "flows" / "plans")
SEED_PLANS = {  # plan -> its partner's simulated system
    "binh-duong-cu-tru-dat-dai": "binh-duong",
    "dong-nai-cu-tru-dat-dai": "dong-nai",
    "kien-giang-phu-quoc": "kien-giang",
}
# Real codes a partner system sends (vietnam-provinces / vietnamadminunits):
# before 01/07/2025 and after it, for each seed province.
REAL_CODES = {
    "binh-duong-cu-tru-dat-dai": ["25741", "25747", "25942", "25750"],  # Hiệp Thành, Thủ Dầu Một
    "dong-nai-cu-tru-dat-dai": ["26041", "26068", "26080"],  # Trấn Biên, Biên Hòa, Long Khánh
    "kien-giang-phu-quoc": ["31078", "31105"],  # Dương Đông -> Đặc khu Phú Quốc, Thổ Châu
}


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


# Bình Dương plan. March 2025: old communes (25747 is then Phường Phú Cường).
# September 2025: the system still sends an old code, 25741 (Hiệp Thành, split
# between 25747 and 25750; the dataset's default is 25750), next to a new one.
MARCH = [received(1, "20250310", "25747"), received(2, "20250311", "25942")]
SEPTEMBER = [received(3, "20250910", "25741"), received(4, "20250911", "25747")]


@pytest.fixture
def merged(warehouse, publish):
    publish(MARCH, period="2025-03")
    publish(SEPTEMBER, period="2025-09")
    refresh_marts(warehouse, PLAN_ID)
    return warehouse


def test_the_official_lists_are_loaded_whole(warehouse):
    rows = warehouse.execute(
        "SELECT level, count(*) FILTER (valid_to IS NULL), count(*) FILTER (valid_to IS NOT NULL)"
        " FROM core.admin_unit_versions GROUP BY level ORDER BY level"
    ).fetchall()
    assert rows == [("commune", 3321, 10035), ("province", 34, 63)]


def test_names_follow_the_validity_date(warehouse):
    rows = warehouse.execute(
        "SELECT unit_code, valid_from, name, province_code FROM core.admin_unit_versions"
        " WHERE unit_code IN ('91', '31078', '25747') ORDER BY unit_code, valid_from"
    ).fetchall()
    assert rows == [
        ("25747", date(2020, 1, 1), "Phường Phú Cường", "74"),
        ("25747", date(2025, 7, 1), "Phường Thủ Dầu Một", "79"),
        ("31078", date(2020, 1, 1), "Phường Dương Đông", "91"),
        ("31078", date(2025, 7, 1), "Đặc khu Phú Quốc", "91"),
        ("91", date(2020, 1, 1), "Tỉnh Kiên Giang", "91"),
        ("91", date(2025, 7, 1), "Tỉnh An Giang", "91"),
    ]


def test_crosswalk_maps_old_units_to_their_successors(warehouse):
    rows = warehouse.execute(
        "SELECT unit_code, new_unit_code, new_province_code, old_unit_code, old_province_code,"
        " is_split FROM core.unit_crosswalk WHERE valid_to IS NOT NULL"
        " AND unit_code IN ('74', '70', '89', '25741', '26041', '31078') ORDER BY unit_code"
    ).fetchall()
    assert rows == [
        ("25741", "25750", "79", "25741", "74", True),  # split: the dataset's default part
        ("26041", "26041", "75", "26041", "75", False),  # Trung Dũng -> Trấn Biên, Đồng Nai
        ("31078", "31078", "91", "31078", "91", False),  # Kiên Giang -> An Giang
        ("70", "75", "75", "70", "70", False),  # Bình Phước -> Đồng Nai
        ("74", "79", "79", "74", "74", False),  # Bình Dương -> TP.HCM
        ("89", "91", "91", "89", "89", False),  # old An Giang -> An Giang
    ]


@pytest.mark.parametrize("province", ["74", "75", "91"])
def test_every_legacy_commune_of_a_seed_province_maps_to_a_current_one(warehouse, province):
    unmapped = warehouse.execute(
        "SELECT x.unit_code FROM core.unit_crosswalk AS x LEFT JOIN core.admin_unit_versions AS n"
        " ON n.unit_code = x.new_unit_code AND n.level = 'commune' AND n.valid_to IS NULL"
        " WHERE x.level = 'commune' AND x.valid_to IS NOT NULL AND x.province_code = ?"
        " AND n.unit_code IS NULL",
        [province],
    ).fetchall()
    total = warehouse.execute(
        "SELECT count(*) FROM core.admin_unit_versions WHERE level = 'commune'"
        " AND valid_to IS NOT NULL AND province_code = ?",
        [province],
    ).fetchone()[0]
    assert unmapped == [] and total > 0


def test_split_communes_are_reported_not_guessed(warehouse):
    rows = warehouse.execute(
        "SELECT old_code, new_codes, default_code FROM core.unit_splits WHERE old_code = '25741'"
    ).fetchall()
    assert rows == [("25741", ["25747", "25750"], "25750")]


@pytest.mark.parametrize("plan_id", sorted(SEED_PLANS))
def test_real_codes_of_each_seed_province_pass_the_area_check(warehouse, plan_id):
    plan = PLANS[plan_id]
    area = set(area_unit_codes(warehouse, plan))
    assert set(REAL_CODES[plan_id]) <= area
    units = load_units()
    for day in (date(2025, 6, 30), date(2025, 7, 1), date(2026, 10, 1)):
        simulated = {u.unit_code for u in communes_for(units, SEED_PLANS[plan_id], day)}
        assert simulated and simulated <= area, day


def test_areas_follow_the_province_as_signed(warehouse):
    binh_duong = set(area_unit_codes(warehouse, seed_plan()))
    kien_giang = set(area_unit_codes(warehouse, PLANS["kien-giang-phu-quoc"]))
    assert not binh_duong & {"26068", "31078"}  # other provinces' communes
    # 91 was Kiên Giang when the plan was signed: old An Giang (89) is not its area
    assert "30280" not in kien_giang and "31078" in kien_giang


def test_old_code_after_the_merger_lands_on_the_successor(merged):
    rows = merged.execute(
        "SELECT period, unit_code, dossiers_received, dossiers_on_split_units"
        " FROM marts.dossier_kpis ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("2025-03", "25747", 1, 0),  # before 01/07/2025 a code is the old commune
        ("2025-03", "25942", 1, 0),
        ("2025-09", "25747", 1, 0),  # 25747 sent in September is Thủ Dầu Một
        ("2025-09", "25750", 1, 1),  # 25741 sent in September: its default part, reported
    ]


@pytest.mark.parametrize(
    ("boundary", "expected"),
    [
        (
            "old",
            [
                ("2025-03", "74", "25747", 1),  # Phú Cường
                ("2025-03", "74", "25942", 1),
                ("2025-09", "74", "25741", 1),
                ("2025-09", "74", "25747", 1),  # a merged ward cannot be split
            ],
        ),
        (
            "new",
            [
                ("2025-03", "79", "25747", 1),
                ("2025-03", "79", "25942", 1),
                ("2025-09", "79", "25747", 1),
                ("2025-09", "79", "25750", 1),
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
        " sum(dossiers_fully_online), sum(dossiers_judged), sum(dossiers_on_time),"
        " sum(dossiers_reused)"
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
