"""Trend charts read as time: every month on the axis (a missing one is a gap),
a y-axis fitted to the data, the target and the due date drawn, axis titles."""

from __future__ import annotations

import math
from datetime import date

from tasks.report.charts import _every_month, _fitted, kpi_chart


def test_a_missing_month_is_a_gap_not_a_vanished_label():
    months, values = _every_month(["2026-08", "2026-10"], [0.5, 0.6])
    assert months == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
    assert values[0] == 0.5 and math.isnan(values[1]) and values[2] == 0.6


def test_the_y_axis_fits_small_moves_and_the_target():
    low, high = _fitted([0.91, 0.93, 0.95], 0.97)
    assert 0.85 < low < 0.91 and 0.97 < high < 1.05  # not a flat line on 0..100 %


def test_the_chart_draws_target_due_date_and_axis_titles_in_vietnamese():
    svg = kpi_chart("Tỷ lệ số hóa", ["2026-08", "2026-10"], [0.9, 0.94], 0.95, date(2026, 12, 31))
    for text in ("Chỉ tiêu 95%", "Hạn 31/12/2026", "Tháng", "Tỷ lệ", "09/2026"):
        assert text in svg, text
    assert "viewBox" in svg
