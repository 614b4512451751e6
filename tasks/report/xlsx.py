"""The workbook a lead forwards: one plan, one period, four sheets (targets, KPIs
per unit, 766 scores, quarantined rows by reason). Aggregates only: no row of a
dossier, no name, no ID. Rates stay numbers with a percent format, so Excel or
LibreOffice shows them in the reader's own locale and they can be summed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tasks import locale as fmt
from tasks.locale import catalogue
from tasks.plans import PlanSpec, known_kpis
from tasks.report.queries import fetch, kpi_history, quarantine_reasons

UNIT_KPIS_SQL = """
SELECT coalesce(u.name, k.unit_code) AS unit, k.unit_code, k.domain, k.dossiers_received,
       k.digitisation_rate, k.e_result_rate, k.portal_sync_rate, k.online_rate,
       k.on_time_rate, k.reuse_rate
FROM marts.dossier_kpis AS k LEFT JOIN core.admin_units AS u USING (unit_code)
WHERE k.plan_id = ? AND k.period = ? ORDER BY unit, k.domain
"""
SCORES_SQL = """
SELECT coalesce(u.name, s.unit_code) AS unit, s.unit_code, s.points, s.max_points, s.score,
       s.band_vi
FROM marts.score_766 AS s LEFT JOIN core.admin_units AS u USING (unit_code)
WHERE s.plan_id = ? AND s.period = ? ORDER BY s.score DESC NULLS LAST, unit
"""
PCT = "0.0%"


def _targets(con: duckdb.DuckDBPyConnection, plan: PlanSpec, period: str) -> list[list[Any]]:
    labels, groups = known_kpis(), {g.id: g.name for g in plan.task_groups}
    rows = []
    for series in kpi_history(con, plan.id).values():
        for t in (r for r in series if r["period"] == period):
            rows.append(
                [
                    labels[t["kpi"]]["label_vi"],
                    catalogue.scope(t["scope"]),
                    t["current_value"],
                    t["previous_value"],
                    t["target_value"],
                    t["due_date"],
                    t["forecast_date"],
                    groups.get(t["task_group_id"], t["task_group_id"]),
                    catalogue.target_state(t["met"], t["on_track"], status=t.get("status")),
                ]
            )
    return rows


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list], pct: set[int]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for i, name in enumerate(header, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(12, min(45, len(name) + 4))
        if i - 1 in pct:
            for cell in sheet[letter][1:]:
                cell.number_format = PCT
    sheet.freeze_panes = "A2"


def write_workbook(con: duckdb.DuckDBPyConnection, plan: PlanSpec, period: str, path: Path) -> Path:
    """The plan's workbook for the period, written atomically."""
    book = Workbook()
    book.remove(book.active)
    targets = ["Chỉ số", "Phạm vi", "Hiện tại", "Kỳ trước", "Chỉ tiêu", "Hạn", "Dự báo đạt"]
    _sheet(
        book,
        "Chỉ tiêu",
        [*targets, "Tổ công tác", "Trạng thái"],
        _targets(con, plan, period),
        {2, 3, 4},
    )
    units = fetch(con, UNIT_KPIS_SQL, [plan.id, period])
    _sheet(
        book,
        "Chỉ số theo đơn vị",
        [
            "Đơn vị",
            "Mã",
            "Lĩnh vực",
            "Hồ sơ tiếp nhận",
            "Số hóa",
            "Kết quả điện tử",
            "Đồng bộ Cổng DVCQG",
            "Trực tuyến",
            "Đúng hạn",
            "Tái sử dụng",
        ],
        [list((r | {"domain": catalogue.scope(r["domain"])}).values()) for r in units],
        {4, 5, 6, 7, 8, 9},
    )
    scores = [list(r.values()) for r in fetch(con, SCORES_SQL, [plan.id, period])]
    _sheet(
        book,
        "Điểm 766",
        ["Đơn vị", "Mã", "Điểm đạt", "Điểm tối đa", "Điểm 766", "Xếp loại"],
        scores,
        set(),
    )
    reasons = [
        [
            catalogue.dataset(r["dataset"]),
            catalogue.severity(r["severity"]),
            r["reason"],
            r["rows_affected"],
        ]
        for r in quarantine_reasons(con, plan.id, period)
    ]
    _sheet(book, "Bản ghi bị loại", ["Bộ dữ liệu", "Mức", "Lý do", "Số bản ghi"], reasons, set())
    book.properties.title = f"{plan.name} — {fmt.period(period)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    book.save(partial)
    os.replace(partial, path)
    return path


def workbook_name(plan_id: str, period: str) -> str:
    return f"plan-{plan_id}-{period}.xlsx"
