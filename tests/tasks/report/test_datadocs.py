"""Validation pages stand alone: no outside address, an index, the batch's status
as plan06 decided it (not GX's success %), every source value escaped."""

from __future__ import annotations

import json
import re

from great_expectations.core import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

from tasks.report.datadocs import write_data_docs
from tasks.validate.run import ExpectationOutcome, RowFailure, Verdict

SCRIPT = "<script>alert('x')</script>"


def result_with(value: str) -> ExpectationSuiteValidationResult:
    config = ExpectationConfiguration(
        type="expect_column_values_to_match_regex",
        kwargs={"column": "dossier_code", "regex": "^G"},
        meta={"severity": "warning"},
    )
    item = ExpectationValidationResult(
        success=False,
        expectation_config=config,
        result={
            "element_count": 21,
            "unexpected_count": 11,
            "unexpected_percent": 52.38,
            "partial_unexpected_list": [value],
        },
    )
    return ExpectationSuiteValidationResult(success=False, results=[item], suite_name="dossiers")


def warning_verdict() -> Verdict:
    outcome = ExpectationOutcome(
        expectation="expect_column_values_to_match_regex",
        column="dossier_code",
        severity="warning",
        success=False,
        raised=None,
        unexpected_count=11,
        reason="Mã hồ sơ sai định dạng",
    )
    failures = [
        RowFailure(i, outcome.expectation, "dossier_code", "warning", "x") for i in range(11)
    ]
    return Verdict(outcomes=[outcome], row_failures=failures)


def test_a_page_has_no_outside_address_and_escapes_a_script_value(tmp_path):
    page = write_data_docs(
        result_with(SCRIPT),
        tmp_path,
        "bd__dossiers__2026-10__a1",
        warning_verdict(),
        "dossiers",
        "2026-10",
    )
    html = page.read_text(encoding="utf-8")
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing fetched from outside
    assert "<script" not in html.lower() and "<link" not in html.lower()


def test_the_status_is_plan06s_decision_not_gx_success_percent(tmp_path):
    page = write_data_docs(
        result_with("X-1"),
        tmp_path,
        "bd__dossiers__2026-10__a1",
        warning_verdict(),
        "dossiers",
        "2026-10",
    )
    html = page.read_text(encoding="utf-8")
    assert "Đã công bố" in html and "11 bản ghi" in html  # warnings quarantine, not reject
    assert "Failed" not in html and "Hồ sơ TTHC" in html and "tháng 10/2026" in html
    assert "Mã hồ sơ sai định dạng" in html and "Cảnh báo" in html


def test_an_index_lists_every_page_and_the_home_links_work(tmp_path):
    verdict = warning_verdict()
    for batch in ("bd__dossiers__2026-09__a", "bd__dossiers__2026-10__b"):
        write_data_docs(
            result_with("X"), tmp_path, batch, verdict, "dossiers", batch.split("__")[2]
        )
    index = (tmp_path / "datadocs" / "index.html").read_text(encoding="utf-8")
    assert index.index("2026-10__b.html") < index.index("2026-09__a.html")  # newest first
    page = (tmp_path / "datadocs" / "bd__dossiers__2026-10__b.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in page and 'href="index.html"' in page
    sidecar = json.loads((tmp_path / "datadocs" / "bd__dossiers__2026-10__b.json").read_text())
    assert sidecar["status"] == "published"
