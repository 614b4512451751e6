"""Partner sync lag: arrival in plan06 minus NgayCapNhat, per source and period."""

from __future__ import annotations

from tasks.load.marts import refresh_marts
from tests.builders import PLAN_ID, dossier


def updated(seq: int, period_day: str, stamp: str) -> dict:
    """A dossier received on `period_day` (YYYYMMDD), last updated at `stamp` (local)."""
    return dossier(
        seq,
        MaHoSo=f"G22.74.05-{period_day[2:]}-{seq:04d}",
        NgayNopHoSo=f"{period_day}080000",
        NgayTiepNhan=f"{period_day}090000",
        NgayHenTra=f"{period_day}170000",
        NgayKetThucXuLy=f"{period_day}120000",
        NgayCapNhat=stamp,
    )


def test_lag_and_late_arrivals_per_period(warehouse, publish):
    publish([updated(1, "20260905", "20260928230000"), updated(2, "20260905", "20260930110000")],
            period="2026-09")  # fmt: skip
    publish(
        [
            updated(3, "20261005", "20261010100000"),
            updated(4, "20261005", "20261015100000"),
            updated(5, "20261005", "20261031100000"),
        ],
        period="2026-10",
    )
    # the batches were published at these instants of this machine's clock (UTC):
    # b1 on 30/09 16:00 UTC = 30/09 23:00 in Việt Nam, before September closed;
    # b2 on 02/11 03:00 UTC = 02/11 10:00 in Việt Nam, after October closed
    warehouse.execute("SET TimeZone = 'UTC'")
    warehouse.execute(
        "UPDATE ops.batches SET finished_at = CASE batch_id"
        " WHEN 'b1' THEN TIMESTAMP '2026-09-30 16:00' ELSE TIMESTAMP '2026-11-02 03:00' END"
    )
    refresh_marts(warehouse, PLAN_ID)
    rows = warehouse.execute(
        "SELECT period, records, lag_median_hours, lag_p90_hours, arrived_after_close,"
        " arrived_after_close_share FROM marts.source_sync_lag WHERE dataset = 'dossiers'"
        " ORDER BY period"
    ).fetchall()
    assert rows == [
        # lags 48 h (28/09 23:00) and 12 h (30/09 11:00): median 30,
        # p90 12 + 0.9 x 36 = 44.4; none arrived after 01/10 00:00
        ("2026-09", 2, 30.0, 44.4, 0, 0.0),
        # lags 23 d, 18 d, 2 d = 552, 432, 48 h: median 432, p90 432 + 0.8 x 120 = 528
        ("2026-10", 3, 432.0, 528.0, 3, 1.0),
    ]
