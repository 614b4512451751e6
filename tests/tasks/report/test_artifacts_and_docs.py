"""The markdown report a run publishes, and GX Data Docs without row lists or ID-like values."""

from __future__ import annotations

import re

from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.core.expectation_validation_result import ExpectationValidationResult
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

from tasks.report.artifacts import _targets_at, artifact_key
from tasks.report.datadocs import render_data_docs, summarised
from tasks.report.markdown import kpi_rows, progress_report
from tasks.report.queries import period_batches, quarantine_reasons
from tests.tasks.report.conftest import BD, KG


def test_artifact_keys_are_what_prefect_accepts():
    assert artifact_key("binh-duong_cu-tru", "report") == "binh-duong-cu-tru-report"


def test_markdown_report_has_kpis_vs_targets_quarantine_reasons_and_links(warehouse):
    targets = _targets_at(warehouse, BD.id, "2026-10")
    batches = period_batches(warehouse, BD.id, "2026-10")
    docs = {batches[0]["batch_id"]: "http://reports.local/datadocs/x.html"}
    links = {"Báo cáo kế hoạch": "http://reports.local/plan-x.html"}
    text = progress_report(
        "BD — kỳ 2026-10",
        targets,
        batches,
        quarantine_reasons(warehouse, BD.id, "2026-10"),
        links,
        docs,
    )
    for t in BD.targets:
        assert f"| {(t.value - 0.05) * 100:.1f}% |".replace(".", ",") in text  # vi_VN
    assert "| Hồ sơ TTHC | Cảnh báo | Mã hồ sơ sai định dạng | 1 |" in text
    assert "[Kết quả kiểm tra](http://reports.local/datadocs/x.html)" in text
    assert "(met)" not in text and "(behind)" not in text and "KPI" not in text
    assert "[Báo cáo kế hoạch](http://reports.local/plan-x.html)" in text
    assert len(kpi_rows(targets)) == len(BD.targets)


def test_markdown_report_of_a_rejected_batch_gives_the_reason(warehouse):
    batches = period_batches(warehouse, KG.id, "2026-10")
    text = progress_report("KG", [], batches, [], {}, {})
    assert "| Hồ sơ TTHC | Bị từ chối | 0 | 0 | 0 | Lô dữ liệu rỗng | — |" in text


def failing_result() -> ExpectationSuiteValidationResult:
    config = ExpectationConfiguration(
        type="expect_column_values_to_match_regex",
        kwargs={"column": "dossier_code", "regex": "^G"},
    )
    item = ExpectationValidationResult(
        success=False,
        expectation_config=config,
        result={
            "element_count": 3,
            "unexpected_count": 2,
            "unexpected_percent": 66.7,
            "partial_unexpected_list": ["074123456789", "X-1"],
            "unexpected_list": ["074123456789", "X-1"],
            "unexpected_index_list": [{"row_number": 1}, {"row_number": 2}],
        },
    )
    return ExpectationSuiteValidationResult(
        success=False,
        results=[item],
        suite_name="dossiers",
        statistics={
            "evaluated_expectations": 1,
            "successful_expectations": 0,
            "unsuccessful_expectations": 1,
            "success_percent": 0.0,
        },
    )


def test_data_docs_keep_counts_and_mask_id_like_values():
    shown = summarised(failing_result()).results[0].result
    assert "unexpected_list" not in shown and "unexpected_index_list" not in shown
    assert shown["unexpected_count"] == 2
    assert shown["partial_unexpected_list"] == ["••••••••••••", "X-1"]
    html = render_data_docs(failing_result())
    assert "dossier_code" in html and "X-1" in html
    assert "074123456789" not in html
    # GX puts random element ids in tag attributes: scan the text people read.
    text = re.sub(r"<[^>]+>", " ", html).replace("1.24.1", "")
    assert not re.search(r"\b\d{9,}\b", text)
