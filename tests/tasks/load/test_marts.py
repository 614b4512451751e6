"""KPI marts against rates worked out by hand (shared/domain.md formulas)."""

from __future__ import annotations

import pytest

from tasks.load.marts import marts_are_current, refresh_marts
from tasks.load.plans import sync_plan_dimensions
from tests.builders import PLAN_ID, dossier, seed_plan

NOT_DIGITISED = [{"TenGiayTo": "Tờ khai", "DuocSoHoa": 0, "DuocLayTuKhoDMQG": 1}]

# October 2026, unit 25747. Residence (cu_tru) rows 1-4, land (dat_dai) row 5:
#  1 clean: digitised, online, synced, e-result, finished on time
#  2 in person, not synced, component not digitised but reused, finished on time
#  3 finished late (15/10 > due 12/10), processed, no e-result link
#  4 open, due 20/10 < period end: judged, late; no result yet
#  5 open, due 05/11 after period end: not judged
OCTOBER = [
    dossier(1),
    dossier(2, KenhThucHien=1, DongBoDVCQG=0, ThanhPhanHoSo=NOT_DIGITISED),
    dossier(
        3,
        NgayKetThucXuLy="20261015100000",
        TrangThaiHoSo="Đã xử lý xong",
        DuongDanTepTinKetQua=None,
    ),
    dossier(
        4,
        NgayHenTra="20261020170000",
        NgayKetThucXuLy=None,
        TrangThaiHoSo="Đang xử lý",
        MaKetQua=None,
        DuongDanTepTinKetQua=None,
        KetQuaDuocSoHoa=0,
    ),
    dossier(
        5,
        LinhVuc="dat_dai",
        NgayHenTra="20261105170000",
        NgayKetThucXuLy=None,
        TrangThaiHoSo="Đang xử lý",
        MaKetQua=None,
        DuongDanTepTinKetQua=None,
    ),
]


def rates(con, domain: str, period: str = "2026-10") -> dict[str, float | None]:
    names = [
        "digitisation_rate",
        "e_result_rate",
        "portal_sync_rate",
        "online_rate",
        "on_time_rate",
        "reuse_rate",
    ]
    row = con.execute(
        f"SELECT {', '.join(names)} FROM marts.dossier_kpis"
        " WHERE plan_id = ? AND domain = ? AND period = ?",
        [PLAN_ID, domain, period],
    ).fetchone()
    return {n: None if v is None else round(v, 4) for n, v in zip(names, row, strict=True)}


def progress(con, target_id: str, period: str = "2026-10") -> tuple:
    return con.execute(
        "SELECT round(current_value, 4), round(previous_value, 4), forecast_date::VARCHAR,"
        " met, on_track FROM marts.target_progress"
        " WHERE plan_id = ? AND target_id = ? AND period = ?",
        [PLAN_ID, target_id, period],
    ).fetchone()


def test_dossier_rates_match_the_hand_computation(warehouse, publish):
    publish(OCTOBER)
    refresh_marts(warehouse, PLAN_ID)

    assert rates(warehouse, "cu_tru") == {
        # components AND result, over the 3 with a result: rows 1, 3 (row 2's
        # component is not digitised; row 4 has no result, so is not counted)
        "digitisation_rate": 0.6667,
        "e_result_rate": 0.6667,  # rows 1, 2 of the 3 with a result
        "portal_sync_rate": 0.75,  # all but row 2
        "online_rate": 0.75,  # all but row 2
        "on_time_rate": 0.5,  # rows 1, 2 of the 4 judged
        "reuse_rate": 0.25,  # row 2
    }
    assert rates(warehouse, "dat_dai") == {
        "digitisation_rate": None,  # row 5 has no result yet: N/A
        "e_result_rate": None,  # no result yet: N/A, not 0
        "portal_sync_rate": 1.0,
        "online_rate": 1.0,
        "on_time_rate": None,  # open and not yet due: not judged
        "reuse_rate": 0.0,
    }


def test_scope_all_sums_counts_over_the_plan_domains(warehouse, publish):
    publish(OCTOBER)
    refresh_marts(warehouse, PLAN_ID)
    # sync target covers cu_tru + dat_dai: 4 synced of 5, not the mean of 0.75 and 1.0
    assert progress(warehouse, "dong-bo-cong-dvcqg")[0] == 0.8


def test_single_period_has_no_trend_so_an_unmet_target_is_behind(warehouse, publish):
    publish(OCTOBER)
    refresh_marts(warehouse, PLAN_ID)
    # 2 of the 3 with a result digitised; one period: no trend, no forecast
    assert progress(warehouse, "so-hoa-ho-so-cu-tru") == (0.6667, None, None, False, False)


def test_trend_forecasts_the_month_the_target_is_met(warehouse, publish):
    september = [
        dossier(
            n,
            MaHoSo=f"G22.74.05-260905-{n:04d}",
            NgayTiepNhan="20260905090000",
            NgayNopHoSo="20260905080000",
            NgayHenTra="20260912170000",
            NgayKetThucXuLy="20260910100000",
            ThanhPhanHoSo=NOT_DIGITISED if n <= 2 else OCTOBER[0]["ThanhPhanHoSo"],
        )
        for n in range(1, 5)
    ]
    publish(september, period="2026-09")
    publish(OCTOBER)
    refresh_marts(warehouse, PLAN_ID)
    # 50% -> 66.67% (2 of the 3 with a result): +16.67 points a month; 90% needs
    # ceil(23.33 / 16.67) = 2 more months: December, by the 31/12/2026 due
    # date, so on track though not met.
    assert progress(warehouse, "so-hoa-ho-so-cu-tru") == (0.6667, 0.5, "2026-12-31", False, True)


def test_met_target(warehouse, publish):
    publish(OCTOBER)
    refresh_marts(warehouse, PLAN_ID)
    # reuse target 60% on cu_tru: 25% -> behind; e-result on dat_dai: N/A -> not met
    assert progress(warehouse, "tai-su-dung-cu-tru")[3:] == (False, False)
    assert progress(warehouse, "ket-qua-dien-tu-dat-dai")[0] is None


@pytest.mark.parametrize("rerun", [1, 2])
def test_refresh_is_idempotent(warehouse, publish, rerun):
    publish(OCTOBER)
    for _ in range(rerun):
        refresh_marts(warehouse, PLAN_ID)
    assert warehouse.execute("SELECT count(*) FROM marts.dossier_kpis").fetchone() == (2,)
    assert warehouse.execute("SELECT count(*) FROM marts.target_progress").fetchone() == (5,)


def test_marts_know_when_they_are_current(warehouse, publish):
    """A run that changes nothing skips the refresh; a batch or a new target does not."""
    publish(OCTOBER)
    assert not marts_are_current(warehouse, PLAN_ID)  # published, never refreshed
    refresh_marts(warehouse, PLAN_ID)
    assert marts_are_current(warehouse, PLAN_ID)
    publish(OCTOBER)  # a new batch: the marts are one batch behind
    assert not marts_are_current(warehouse, PLAN_ID)
    refresh_marts(warehouse, PLAN_ID)
    (target_id,) = warehouse.execute("SELECT min(target_id) FROM marts.target_progress").fetchone()
    plan = seed_plan()
    targets = [t.model_copy(update={"value": 0.5}) if t.id == target_id else t
               for t in plan.targets]  # fmt: skip
    sync_plan_dimensions(warehouse, plan.model_copy(update={"targets": targets}))
    assert not marts_are_current(warehouse, PLAN_ID)  # the plan's definition changed
    refresh_marts(warehouse, PLAN_ID)
    shown = warehouse.execute(
        "SELECT DISTINCT target_value FROM marts.target_progress WHERE target_id = ?", [target_id]
    ).fetchall()
    assert shown == [(0.5,)] and marts_are_current(warehouse, PLAN_ID)


def closed_without_result(seq: int, status: str, finished: str) -> dict:
    return dossier(seq, TrangThaiHoSo=status, NgayKetThucXuLy=finished, MaKetQua=None,
                   DuongDanTepTinKetQua=None, KetQuaDuocSoHoa=0)  # fmt: skip


def test_refused_stopped_and_withdrawn_dossiers_are_judged_by_their_end(warehouse, publish):
    """domain.md: a dossier ends when processed, returned, stopped or refused; only one
    with a result is in the e-result denominator; a withdrawn one (Công dân rút hồ sơ)
    is not judged for on-time at all. Due date: 12/10 for every row."""
    publish(
        [
            dossier(1),  # returned 10/10 with an e-result: on time
            closed_without_result(2, "Từ chối", "20261003100000"),  # refused 03/10: on time
            closed_without_result(3, "Dừng xử lý", "20261015100000"),  # stopped 15/10: late
            closed_without_result(4, "Công dân rút hồ sơ", "20261002100000"),  # withdrawn
        ]
    )
    refresh_marts(warehouse, PLAN_ID)
    assert rates(warehouse, "cu_tru") == {
        "digitisation_rate": 1.0,  # components digitised; no result code to digitise
        "e_result_rate": 1.0,  # 1 of the 1 with a result, not 1 of 4
        "portal_sync_rate": 1.0,
        "online_rate": 1.0,
        "on_time_rate": 0.6667,  # 3 judged (not the withdrawn one); the stopped one late
        "reuse_rate": 0.0,
    }
    (received, judged, results) = warehouse.execute(
        "SELECT dossiers_received, dossiers_judged, dossiers_with_result"
        " FROM marts.dossier_kpis WHERE plan_id = ? AND domain = 'cu_tru'",
        [PLAN_ID],
    ).fetchone()
    assert (received, judged, results) == (4, 3, 1)
