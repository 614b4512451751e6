"""Progress to plan targets: value, gap, trend, forecast date, late flag, batches."""

from __future__ import annotations

from tasks.load.marts import refresh_marts
from tests.builders import PLAN_ID, dossier

NOT_DIGITISED = [{"TenGiayTo": "Tờ khai", "DuocSoHoa": 0, "DuocLayTuKhoDMQG": 0}]


def month(period: str, digitised: int, total: int = 20) -> list[dict]:
    """`total` residence dossiers of `period`, the first `digitised` of them digitised."""
    day = f"{period.replace('-', '')}05"
    return [
        dossier(
            n,
            MaHoSo=f"G22.74.05-{day[2:]}-{n:04d}",
            NgayNopHoSo=f"{day}080000",
            NgayTiepNhan=f"{day}090000",
            NgayHenTra=f"{day}170000",
            NgayKetThucXuLy=f"{day}120000",
            **({} if n <= digitised else {"ThanhPhanHoSo": NOT_DIGITISED}),
        )
        for n in range(1, total + 1)
    ]


def progress(con, target_id: str, period: str) -> tuple:
    return con.execute(
        "SELECT round(current_value, 4), round(gap, 4), round(monthly_trend, 4),"
        " forecast_date::VARCHAR, forecast_after_due, on_track, batch_ids"
        " FROM marts.target_progress WHERE plan_id = ? AND target_id = ? AND period = ?",
        [PLAN_ID, target_id, period],
    ).fetchone()


def test_slow_trend_forecasts_after_the_due_date_and_is_flagged(warehouse, publish):
    publish(month("2026-09", 10), period="2026-09")  # batch b1: 10/20 = 50%
    publish(month("2026-10", 11), period="2026-10")  # batch b2: 11/20 = 55%
    refresh_marts(warehouse, PLAN_ID)
    # target 90% by 31/12/2026: gap 35 points at +5 a month -> 7 months -> May 2027
    assert progress(warehouse, "so-hoa-ho-so-cu-tru", "2026-10") == (
        0.55,
        0.35,
        0.05,
        "2027-05-31",
        True,
        False,
        ["b2"],
    )


def test_fast_trend_is_not_flagged(warehouse, publish):
    publish(month("2026-09", 10), period="2026-09")  # 50%
    publish(month("2026-10", 15), period="2026-10")  # 75%: +25 a month -> 90% in November
    refresh_marts(warehouse, PLAN_ID)
    assert progress(warehouse, "so-hoa-ho-so-cu-tru", "2026-10")[3:6] == (
        "2026-11-30",
        False,
        True,
    )


def test_no_trend_yet_means_no_forecast_and_a_flag(warehouse, publish):
    publish(month("2026-10", 15), period="2026-10")
    refresh_marts(warehouse, PLAN_ID)
    assert progress(warehouse, "so-hoa-ho-so-cu-tru", "2026-10") == (
        0.75,
        0.15,
        None,
        None,
        True,
        False,
        ["b1"],
    )


def test_a_target_reached_once_has_no_gap_and_no_flag(warehouse, publish):
    publish(month("2026-10", 19), period="2026-10")  # 95% >= 90%
    refresh_marts(warehouse, PLAN_ID)
    current, gap, _, forecast, late, on_track, _ = progress(
        warehouse, "so-hoa-ho-so-cu-tru", "2026-10"
    )
    # one period: no trend, so no forecast; reached, so no flag
    assert (current, gap, forecast, late, on_track) == (0.95, 0.0, None, False, True)


def status(con, target_id: str, period: str) -> tuple[str, str]:
    return con.execute(
        "SELECT status, status_vi FROM marts.target_progress"
        " WHERE plan_id = ? AND target_id = ? AND period = ?",
        [PLAN_ID, target_id, period],
    ).fetchone()


def test_met_means_sustained_for_the_configured_periods(warehouse, publish):
    # 95% in September, October, November; progress.yaml: met_sustained_periods 3
    for n, period in enumerate(("2026-09", "2026-10", "2026-11")):
        publish(month(period, 19), period=period)
        refresh_marts(warehouse, PLAN_ID)
        expected = ("met", "Đạt chỉ tiêu") if n == 2 else ("on_track", "Đúng tiến độ")
        assert status(warehouse, "so-hoa-ho-so-cu-tru", period) == expected, period


def test_statuses_a_lead_can_act_on(warehouse, publish):
    publish(month("2026-11", 10), period="2026-11")  # 50%, one period
    refresh_marts(warehouse, PLAN_ID)
    assert status(warehouse, "so-hoa-ho-so-cu-tru", "2026-11") == ("no_trend", "Chưa có xu hướng")
    publish(month("2026-12", 11), period="2026-12")  # 55%: +5 a month, due 31/12/2026
    refresh_marts(warehouse, PLAN_ID)
    assert status(warehouse, "so-hoa-ho-so-cu-tru", "2026-12") == ("behind", "Chậm tiến độ")
    publish(month("2027-01", 15), period="2027-01")  # due passed, still below 90%
    refresh_marts(warehouse, PLAN_ID)
    assert status(warehouse, "so-hoa-ho-so-cu-tru", "2027-01") == ("overdue", "Quá hạn")


def test_a_target_without_a_value_has_no_data_yet(warehouse, publish):
    still_open = [
        {**row, "NgayKetThucXuLy": None, "TrangThaiHoSo": "Đang xử lý", "MaKetQua": None}
        for row in month("2026-10", 20)
    ]  # nothing finished: digitisation has an empty denominator
    publish(still_open, period="2026-10")
    refresh_marts(warehouse, PLAN_ID)
    assert status(warehouse, "so-hoa-ho-so-cu-tru", "2026-10") == ("no_data", "Chưa có dữ liệu")
    assert progress(warehouse, "so-hoa-ho-so-cu-tru", "2026-10")[0] is None


# The marts of issue 4; the *_progress marts of the source datasets are issue 3's.
TRACED_MARTS = (
    "dossier_kpis",
    "dossier_kpis_by_boundary",
    "score_766_indicators",
    "score_766_groups",
    "score_766",
    "target_progress",
)


def test_every_mart_row_names_the_batches_behind_it(warehouse, publish):
    publish(month("2026-10", 15), period="2026-10")
    refresh_marts(warehouse, PLAN_ID)
    for table in TRACED_MARTS:
        rows, untraced = warehouse.execute(
            f"SELECT count(*), count_if(batch_ids IS NULL OR batch_ids <> ['b1'])"
            f" FROM marts.{table} WHERE plan_id = ?",
            [PLAN_ID],
        ).fetchone()
        assert rows > 0 and untraced == 0, table
