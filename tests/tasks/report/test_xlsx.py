"""The XLSX workbook of a plan and period: four sheets a lead can forward, numbers
as numbers, names not ids, no personal data; linked from the plan page."""

from __future__ import annotations

import re

from openpyxl import load_workbook

from tasks.report.xlsx import write_workbook
from tests.tasks.report.conftest import BD, RAW_ID, SCORES


def test_the_workbook_has_targets_units_scores_and_quarantine(warehouse, tmp_path):
    path = write_workbook(warehouse, BD, "2026-10", tmp_path / "bd.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Chỉ tiêu", "Chỉ số theo đơn vị", "Điểm 766", "Bản ghi bị loại"]
    targets = book["Chỉ tiêu"]
    assert targets.max_row == len(BD.targets) + 1
    current = targets["C2"]
    assert isinstance(current.value, float) and current.number_format == "0.0%"
    groups = {g.name for g in BD.task_groups}
    assert {row[7] for row in targets.iter_rows(min_row=2, values_only=True)} <= groups
    scores = [row for row in book["Điểm 766"].iter_rows(min_row=2, values_only=True)]
    assert [r[1] for r in scores] == [unit for unit, *_ in SCORES]
    reasons = [row for row in book["Bản ghi bị loại"].iter_rows(min_row=2, values_only=True)]
    assert ("Hồ sơ TTHC", "Cảnh báo", "Mã hồ sơ sai định dạng", 1) in reasons


def test_no_personal_data_in_any_cell(warehouse, tmp_path):
    book = load_workbook(write_workbook(warehouse, BD, "2026-10", tmp_path / "bd.xlsx"))
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            text = " ".join(str(v) for v in row if v is not None)
            assert RAW_ID not in text and not re.search(r"\b\d{12}\b", text)


def test_each_plan_page_links_its_workbook(reports):
    page = reports.plans[BD.id].read_text(encoding="utf-8")
    assert f'href="plan-{BD.id}-2026-10.xlsx"' in page
    assert (reports.plans[BD.id].parent / f"plan-{BD.id}-2026-10.xlsx").exists()
