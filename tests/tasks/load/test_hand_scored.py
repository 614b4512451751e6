"""21 dossiers over 2 units and 2 periods, scored by hand (shared/domain.md).

Unit A = 25747 (Phường Thủ Dầu Một), unit B = 25750 (Phường Phú Lợi), all
residence (cu_tru). Builder defaults (tests/builders.py): online (channel 2)
toàn trình, synced, component and result digitised, e-result link, returned
(Đã trả kết quả). September: received 05/09 09:00, due 12/09 17:00, finished
10/09 10:00 unless said; the period ends 01/10 00:00. October: the same in
October, ending 01/11.
"""

from __future__ import annotations

import pytest

from tasks.load.marts import refresh_marts
from tests.builders import PLAN_ID, dossier

A, B = "25747", "25750"
NO_RESULT = {"MaKetQua": None, "DuongDanTepTinKetQua": None, "KetQuaDuocSoHoa": 0}
OPEN = {"TrangThaiHoSo": "Đang xử lý", "NgayKetThucXuLy": None, **NO_RESULT}
WITHDRAWN = {"TrangThaiHoSo": "Công dân rút hồ sơ", **NO_RESULT}
NOT_DIGITISED = [{"TenGiayTo": "Tờ khai", "DuocSoHoa": 0, "DuocLayTuKhoDMQG": 0}]
REUSED = [{"TenGiayTo": "Tờ khai", "DuocSoHoa": 1, "DuocLayTuKhoDMQG": 1}]


def sept(seq: int, **fields: object) -> dict:
    """A September dossier: the builder's October dates moved a month back."""
    dates = {
        "MaHoSo": f"G22.74.05-260905-{seq:04d}",
        "NgayNopHoSo": "20260905080000",
        "NgayTiepNhan": "20260905090000",
        "NgayHenTra": "20260912170000",
        "NgayKetThucXuLy": "20260910100000",
        "NgayCapNhat": "20260910100000",
    }
    return dossier(seq, **(dates | fields))


SEPTEMBER = [
    sept(1, MaDonVi=A),  # clean: result, digitised, e-result, on time
    sept(2, MaDonVi=A, NgayKetThucXuLy="20260908100000", **WITHDRAWN),  # not judged
    sept(3, MaDonVi=A, NgayKetThucXuLy="20260911100000", TrangThaiHoSo="Từ chối", **NO_RESULT),
    # refused 11/09 <= due: judged, on time, no result
    sept(4, MaDonVi=A, NgayKetThucXuLy="20260915100000", TrangThaiHoSo="Dừng xử lý", **NO_RESULT),
    # stopped 15/09 > due: judged, late, no result
    sept(5, MaDonVi=A, NgayKetThucXuLy="20261003100000"),
    # finished 03/10, after the period: at 01/10 it was open and past due -> judged, late,
    # no result yet, not digitised, counted in dossiers_finished_after_period
    sept(6, MaDonVi=A, **OPEN),  # open at period end, past due: judged, late
    sept(7, MaDonVi=A, NgayHenTra="20261005170000", **OPEN),  # due after the period: not judged
    sept(
        8,
        MaDonVi=A,
        NgayKetThucXuLy="20260911100000",
        SoLanBoSung=2,
        NgayYeuCauBoSung="20260906090000",
        NgayNhanBoSung="20260907090000",
    ),  # two supplement requests: late although finished before the due date
    sept(
        9,
        MaDonVi=A,
        NgayKetThucXuLy="20260914100000",
        SoLanBoSung=1,
        NgayYeuCauBoSung="20260906090000",
        NgayNhanBoSung="20260909090000",
    ),  # a 72 h pause: due 15/09 17:00, finished 14/09: on time
    sept(10, MaDonVi=A, KenhThucHien=1, MucDoDVC="MOT_PHAN", DongBoDVCQG=0,
         ThanhPhanHoSo=NOT_DIGITISED),  # in person, not synced, component not digitised
    sept(11, MaDonVi=A, MucDoDVC="MOT_PHAN", DuongDanTepTinKetQua=None, KetQuaDuocSoHoa=0),
    # online but partly (một phần): not fully online; paper result: not digitised
    sept(12, MaDonVi=B),  # clean
    sept(13, MaDonVi=B, DongBoDVCQG=0),  # not synced
]  # fmt: skip
OCTOBER = [
    dossier(21, MaDonVi=A),  # clean
    dossier(22, MaDonVi=A, NgayKetThucXuLy="20261007100000", **WITHDRAWN),  # not judged
    dossier(23, MaDonVi=A, NgayKetThucXuLy="20261015100000"),  # 15/10 > due 12/10: late
    dossier(24, MaDonVi=A, ThanhPhanHoSo=REUSED),  # reused from the data store
    dossier(25, MaDonVi=A, TrangThaiHoSo="Đã xử lý xong", KetQuaDuocSoHoa=0),
    # processed, e-result link, but the result file is not digitised: not digitised
    # unit B: every dossier withdrawn (one finished, two not)
    dossier(26, MaDonVi=B, NgayKetThucXuLy="20261006100000", **WITHDRAWN),
    dossier(27, MaDonVi=B, NgayKetThucXuLy=None, **WITHDRAWN),
    dossier(28, MaDonVi=B, NgayKetThucXuLy=None, **WITHDRAWN),
]

# (received, with_result, digitised, e_result, synced, online, fully_online,
#  judged, on_time, reused, finished_after_period), by hand:
HAND_COUNTS = {
    # A Sept: result = 1, 8, 9, 10, 11 (5); digitised = 1, 8, 9 (3); e-result =
    # 1, 8, 9, 10 (4); synced = all but 10 (10); online = all but 10 (10); fully
    # online = all but 10, 11 (9); judged = all but 2 (withdrawn), 7 (not due) (9);
    # on time = 1, 3, 9, 10, 11 (5); finished after the period = 5
    (A, "2026-09"): (11, 5, 3, 4, 10, 10, 9, 9, 5, 0, 1),
    (B, "2026-09"): (2, 2, 2, 2, 1, 2, 2, 2, 2, 0, 0),
    # A Oct: result = 21, 23, 24, 25 (4); digitised = 21, 23, 24 (3); e-result 4;
    # judged = all but 22 (4); on time = 21, 24, 25 (3); reused = 24
    (A, "2026-10"): (5, 4, 3, 4, 5, 5, 5, 4, 3, 1, 0),
    # B Oct, all withdrawn: nothing judged, nothing with a result
    (B, "2026-10"): (3, 0, 0, 0, 3, 3, 3, 0, 0, 0, 0),
}
# Decision 766 points (rate >= threshold: max, else rate x max / threshold):
#  A Sept: sync 10/11 = 0.91 -> 6; on time 5/9 = 0.5556 -> 13.89; e-result 4/5 =
#          0.80 -> 6; digitised 3/5 = 0.60 -> 3.00; reuse 0 -> 0; fully online
#          9/11 = 0.82 >= 0.50 -> 12; 40.89 of 50 -> 81.78
#  B Sept: sync 1/2 = 0.50 -> 3.75; on time 20; e-result 6; digitised 4; reuse 0;
#          fully online 12; 45.75 of 50 -> 91.50
#  A Oct:  sync 6; on time 3/4 = 0.75 -> 18.75; e-result 4/4 -> 6; digitised
#          3/4 -> 3.75; reuse 1/5 = 0.20 -> 0.50; fully online 12; 47.00 -> 94.00
#  B Oct:  on time, e-result, digitised have empty denominators: N/A, not 0/20;
#          sync 6, reuse 0, fully online 12: 18 of 20 -> 90.00
# Every score covers only the points measured from dossiers (at most 50 of
# 100): no band, "chưa đủ dữ liệu".
HAND_SCORES = {
    (A, "2026-09"): (40.89, 50, 81.78),
    (B, "2026-09"): (45.75, 50, 91.5),
    (A, "2026-10"): (47.0, 50, 94.0),
    (B, "2026-10"): (18.0, 20, 90.0),
}


@pytest.fixture
def scored(warehouse, publish):
    publish(SEPTEMBER, period="2026-09")
    publish(OCTOBER, period="2026-10")
    refresh_marts(warehouse, PLAN_ID)
    return warehouse


def test_counts_match_the_hand_computation(scored):
    rows = scored.execute(
        "SELECT unit_code, period, dossiers_received, dossiers_with_result, dossiers_digitised,"
        " dossiers_e_result, dossiers_synced, dossiers_online, dossiers_fully_online,"
        " dossiers_judged, dossiers_on_time, dossiers_reused, dossiers_finished_after_period"
        " FROM marts.dossier_kpis WHERE plan_id = ?",
        [PLAN_ID],
    ).fetchall()
    assert {(r[0], r[1]): tuple(r[2:]) for r in rows} == HAND_COUNTS


def test_scores_match_the_hand_computation_and_show_their_coverage(scored):
    rows = scored.execute(
        "SELECT unit_code, period, points, max_points, score, coverage, band_id, band_vi"
        " FROM marts.score_766 WHERE plan_id = ?",
        [PLAN_ID],
    ).fetchall()
    assert {(r[0], r[1]): tuple(r[2:5]) for r in rows} == HAND_SCORES
    assert {r[5:] for r in rows} == {(0.5, None, "chưa đủ dữ liệu"), (0.2, None, "chưa đủ dữ liệu")}


def test_a_unit_whose_dossiers_are_all_withdrawn_is_not_scored_zero_on_time(scored):
    on_time = scored.execute(
        "SELECT numerator, denominator, points FROM marts.score_766_indicators"
        " WHERE unit_code = ? AND period = '2026-10' AND indicator_id = 'on_time'",
        [B],
    ).fetchone()
    assert on_time == (0, 0, None)  # N/A: listed as missing, not 0 of 20
    (missing,) = scored.execute(
        "SELECT missing FROM marts.score_766 WHERE unit_code = ? AND period = '2026-10'", [B]
    ).fetchone()
    assert {"on_time", "e_result", "digitised_components"} <= set(missing)


def test_rates_read_as_a_lead_would(scored):
    rates = scored.execute(
        "SELECT round(digitisation_rate, 4), round(on_time_rate, 4), round(online_rate, 4),"
        " round(fully_online_rate, 4) FROM marts.dossier_kpis"
        " WHERE unit_code = ? AND period = '2026-09'",
        [A],
    ).fetchone()
    # 3 of the 5 with a result; 5 of 9 judged; 10 and 9 of 11 received
    assert rates == (0.6, 0.5556, 0.9091, 0.8182)
