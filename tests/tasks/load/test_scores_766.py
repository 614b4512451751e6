"""Decision 766 scores against a dossier set scored by hand (shared/domain.md).

points = max when rate >= threshold, else rate x max / threshold, 2 decimals;
score = points / max of the indicators with data x 100; coverage = that max
over the decision's 100 points; a band from the YAML only at full coverage.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tasks.load import scoring
from tasks.load.marts import refresh_marts, sync_rules
from tests.builders import PLAN_ID, UNIT, dossier

NO_RESULT = {"MaKetQua": None, "DuongDanTepTinKetQua": None, "KetQuaDuocSoHoa": 0}
NOT_DIGITISED = [{"TenGiayTo": "Tờ khai", "DuocSoHoa": 0, "DuocLayTuKhoDMQG": 0}]
REUSED = [{"TenGiayTo": "Tờ khai", "DuocSoHoa": 1, "DuocLayTuKhoDMQG": 1}]
IN_PERSON = {"KenhThucHien": 1, "MucDoDVC": "MOT_PHAN"}
OPEN = {"TrangThaiHoSo": "Đang xử lý", "NgayKetThucXuLy": None, **NO_RESULT}

# Unit 25747, October 2026; every dossier received 05/10 09:00, due 12/10 17:00,
# finished 10/10 unless said otherwise (tests/builders.py defaults: online,
# synced, component and result digitised, e-result link, returned).
UNIT_SET = [
    dossier(1),
    dossier(2, ThanhPhanHoSo=REUSED, **IN_PERSON),
    dossier(3, DongBoDVCQG=0, DuongDanTepTinKetQua=None, **IN_PERSON),
    # finished 15/10 > due 12/10, no supplement request: late
    dossier(4, NgayKetThucXuLy="20261015100000", DuongDanTepTinKetQua=None, **IN_PERSON),
    # finished 15/10 10:00; one request 06/10 09:00 -> supplement 09/10 09:00: a
    # 72 h pause moves the due date to 15/10 17:00: on time
    dossier(
        5,
        NgayKetThucXuLy="20261015100000",
        SoLanBoSung=1,
        NgayYeuCauBoSung="20261006090000",
        NgayNhanBoSung="20261009090000",
    ),
    # finished 11/10, before the due date, but after a second request: late
    dossier(
        6,
        NgayKetThucXuLy="20261011100000",
        SoLanBoSung=2,
        NgayYeuCauBoSung="20261006090000",
        NgayNhanBoSung="20261007090000",
        **IN_PERSON,
    ),
    # open, due 20/10 < period end 01/11: judged at period end, late; no result
    dossier(7, NgayHenTra="20261020170000", **OPEN),
    # waiting for a supplement asked 15/10 10:00: the clock stops until the
    # period end (16 d 14 h), due 20/10 17:00 -> 06/11 07:00: not judged yet
    dossier(
        8,
        NgayHenTra="20261020170000",
        ThanhPhanHoSo=NOT_DIGITISED,
        SoLanBoSung=1,
        NgayYeuCauBoSung="20261015100000",
        **(OPEN | {"TrangThaiHoSo": "Yêu cầu bổ sung"}),
    ),
    # result on paper only: no link, result not digitised
    dossier(9, DongBoDVCQG=0, DuongDanTepTinKetQua=None, KetQuaDuocSoHoa=0, **IN_PERSON),
    dossier(10, DongBoDVCQG=0, ThanhPhanHoSo=NOT_DIGITISED, **IN_PERSON),
]
# By hand, 10 dossiers:
#  portal_sync   synced: all but 3, 9, 10 = 7/10 = 0.70 < 0.80 -> 0.70 x 6 / 0.80 = 5.25
#  on_time       judged: 1-7, 9, 10 (8 is paused) = 9; on time: 1, 2, 3, 5, 9, 10 = 6
#                6/9 = 0.6667 < 0.80 -> 0.6667 x 20 / 0.80 = 16.6667 -> 16.67
#  e_result      with result: 1-6, 9, 10 = 8; link: 1, 2, 5, 6, 10 = 5
#                5/8 = 0.625 -> 0.625 x 6 / 0.80 = 4.6875 -> 4.69
#  digitised_components  components AND result, over the 8 with a result:
#                all but 9 (result not digitised), 10 (component) = 6/8 = 0.75
#                (7 and 8 have no result: not in the denominator)
#                0.75 -> 0.75 x 4 / 0.80 = 3.75
#  reuse         2 only = 1/10 = 0.10 -> 0.10 x 2 / 0.80 = 0.25
#  fully_online  channel 2 and TOAN_TRINH: 1, 5, 7, 8 = 4/10 = 0.40 < 0.50
#                -> 0.40 x 12 / 0.50 = 9.60
#  groups: publicity 5.25/6; progress 16.67/20; digitisation 4.69 + 3.75 + 0.25
#          = 8.69/12; online 9.60/12
#  total 5.25 + 16.67 + 8.69 + 9.60 = 40.21 of 50 -> 80.42; coverage 50 of 100
#  points (publicity, online payment, satisfaction, ... have no data): no band,
#  "chưa đủ dữ liệu"
HAND_INDICATORS = {
    "portal_sync": (7, 10, 5.25),
    "on_time": (6, 9, 16.67),
    "e_result": (5, 8, 4.69),
    "digitised_components": (6, 8, 3.75),
    "reuse": (1, 10, 0.25),
    "fully_online": (4, 10, 9.60),
}
HAND_GROUPS = {
    "publicity": (5.25, 6),
    "progress": (16.67, 20),
    "digitisation": (8.69, 12),
    "online": (9.60, 12),
}

# Unit 25750: one open dossier not yet due: nothing has a result and nothing is
# judged, so e_result, digitised_components and on_time are N/A and count in
# neither sum.  sync 1/1 -> 6; fully online 1/1 -> 12; reuse 0/1 -> 0
#  18 of 20 -> 90.0, coverage 20 of 100
OTHER_UNIT = dossier(11, MaDonVi="25750", NgayHenTra="20261105170000", **OPEN)


@pytest.fixture
def scored(warehouse, publish):
    publish([*UNIT_SET, OTHER_UNIT])
    refresh_marts(warehouse, PLAN_ID)
    return warehouse


def test_each_indicator_matches_the_hand_computation(scored):
    rows = scored.execute(
        "SELECT indicator_id, numerator, denominator, round(points, 2)"
        " FROM marts.score_766_indicators WHERE unit_code = ? AND period = '2026-10'",
        [UNIT],
    ).fetchall()
    assert {i: (n, d, p) for i, n, d, p in rows} == HAND_INDICATORS


def test_group_scores_total_and_band_match_the_hand_computation(scored):
    groups = scored.execute(
        "SELECT group_id, round(points, 2), max_points FROM marts.score_766_groups"
        " WHERE unit_code = ?",
        [UNIT],
    ).fetchall()
    assert {g: (p, m) for g, p, m in groups} == HAND_GROUPS
    total = scored.execute(
        "SELECT round(points, 2), max_points, points_possible, coverage, round(score, 2),"
        " band_id, band_vi, len(missing) FROM marts.score_766 WHERE unit_code = ?",
        [UNIT],
    ).fetchone()
    # 10 unmeasured sub-indicators are missing; no band at half coverage
    assert total == (40.21, 50, 100, 0.5, 80.42, None, "chưa đủ dữ liệu", 10)


def test_empty_denominators_are_not_applicable_not_zero(scored):
    na = scored.execute(
        "SELECT indicator_id FROM marts.score_766_indicators"
        " WHERE unit_code = '25750' AND points IS NULL ORDER BY ALL"
    ).fetchall()
    assert na == [("digitised_components",), ("e_result",), ("on_time",)]
    score, missing = scored.execute(
        "SELECT (points, max_points, coverage, score, band_vi), missing FROM marts.score_766"
        " WHERE unit_code = '25750'"
    ).fetchone()
    assert tuple(score) == (18, 20, 0.2, 90.0, "chưa đủ dữ liệu")
    assert {"digitised_components", "e_result", "on_time", "online_payment"} <= set(missing)


def test_supplement_pause_and_second_request_in_the_on_time_kpi(scored):
    # cu_tru of 25747 is the whole UNIT_SET: on time 6 of 9 judged (see above)
    assert scored.execute(
        "SELECT dossiers_judged, dossiers_on_time FROM marts.dossier_kpis"
        " WHERE unit_code = ? AND domain = 'cu_tru'",
        [UNIT],
    ).fetchone() == (9, 6)


def test_score_rows_name_their_batches(scored):
    for table in ("score_766_indicators", "score_766_groups", "score_766"):
        ids = scored.execute(f"SELECT DISTINCT batch_ids FROM marts.{table}").fetchall()
        assert ids == [(["b1"],)], table


def test_bands_are_data_and_need_full_coverage(warehouse, publish, tmp_path: Path, monkeypatch):
    config = yaml.safe_load(scoring.SCORING_FILE.read_text(encoding="utf-8"))
    # a decision made of the measured indicators only: coverage 50 of 50
    config["unmeasured"] = []
    config["groups"] = [g for g in config["groups"] if g["id"] != "satisfaction"]
    for group, points in {"publicity": 6, "digitisation": 12, "online": 12}.items():
        (entry,) = [g for g in config["groups"] if g["id"] == group]
        entry["decision_points"] = points
    config["bands"][0]["min_score"] = 85  # Tốt from 85: 80.42 is Khá
    edited = tmp_path / "scoring.yaml"
    edited.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(scoring, "SCORING_FILE", edited)
    publish(UNIT_SET)
    refresh_marts(warehouse, PLAN_ID)
    assert warehouse.execute("SELECT coverage, band_vi FROM marts.score_766").fetchone() == (
        1.0,
        "Khá",
    )


def test_a_scoring_file_naming_an_unknown_count_fails_clearly(warehouse, tmp_path, monkeypatch):
    config = yaml.safe_load(scoring.SCORING_FILE.read_text(encoding="utf-8"))
    config["indicators"][1]["numerator"] = "dossiers_on_tiem"
    edited = tmp_path / "scoring.yaml"
    edited.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(scoring, "SCORING_FILE", edited)
    with pytest.raises(ValueError, match=r"indicators\.1\.numerator: 'dossiers_on_tiem'"):
        refresh_marts(warehouse, PLAN_ID)


def test_rules_are_written_once_and_again_only_when_the_file_changes(
    warehouse, tmp_path, monkeypatch
):
    snapshot = "SELECT * FROM core.score_groups ORDER BY ALL"
    assert sync_rules(warehouse) is True  # a new warehouse: empty until the first sync
    written = warehouse.execute(snapshot).fetchall()
    assert written and sync_rules(warehouse) is False  # the same file: nothing rewritten
    config = yaml.safe_load(scoring.SCORING_FILE.read_text(encoding="utf-8"))
    config["bands"][0]["min_score"] = 85
    edited = tmp_path / "scoring.yaml"
    edited.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(scoring, "SCORING_FILE", edited)
    assert sync_rules(warehouse) is True  # a lead's edit is the next refresh's rule
    bands = warehouse.execute("SELECT min_score FROM core.score_bands").fetchall()
    assert (85.0,) in bands and warehouse.execute(snapshot).fetchall() == written
