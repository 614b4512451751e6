"""A chart drawn once is read back on the next run (same bytes); new inputs draw anew."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from tasks.report import chart_cache
from tasks.report.charts import kpi_chart

ARGS = ("Tỷ lệ số hóa", ["2026-08", "2026-10"], [0.9, 0.94], 0.95, date(2026, 12, 31))


def test_a_rerun_reads_the_chart_back_and_new_figures_draw_a_new_one(tmp_path: Path):
    with chart_cache.chart_cache(tmp_path):
        first = kpi_chart(*ARGS)
    (kept,) = tmp_path.glob("*.svg")
    kept.write_text(first.replace("Tỷ lệ số hóa", "read back"), encoding="utf-8")
    with chart_cache.chart_cache(tmp_path):
        assert "read back" in kpi_chart(*ARGS)  # not drawn again
        other = kpi_chart(ARGS[0], ARGS[1], [0.9, 0.95], *ARGS[3:])
    assert "Tỷ lệ số hóa" in other and len(list(tmp_path.glob("*.svg"))) == 2
    assert first == kpi_chart(*ARGS)  # outside a cache: drawn, the same bytes


def test_charts_unused_for_weeks_are_deleted(tmp_path: Path):
    old = tmp_path / "old.svg"
    old.write_text("<svg/>", encoding="utf-8")
    weeks_ago = time.time() - (chart_cache.CACHE_DAYS + 1) * 86400
    os.utime(old, (weeks_ago, weeks_ago))
    with chart_cache.chart_cache(tmp_path):
        pass
    assert not old.exists()
