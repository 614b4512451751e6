"""The dossiers suite on hand-built staged batches: what is quarantined, what is rejected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import pytest

from tasks.settings import PROJECT_ROOT
from tasks.validate.run import Verdict, validate_staged
from tasks.validate.suites import SuiteError, load_suite
from tests.tasks.sources.records import AREA_UNITS, PERIOD, dossier, stage

SUITE_DIR = PROJECT_ROOT / "expectations"
SUITE_JSON = json.loads((SUITE_DIR / "dossiers.json").read_text(encoding="utf-8"))
PARAMETERS = {"unit_codes": AREA_UNITS, "periods": [PERIOD]}
Check = tuple[str, str]  # (expectation type, column)


def validate(records: list[dict[str, Any]], folder: Path, language: str = "en") -> Verdict:
    suite = load_suite(SUITE_DIR, "dossiers")
    staged = stage(records, folder)
    return validate_staged(staged, "staged", suite, PARAMETERS, language)


def check_of(expectation: dict[str, Any]) -> Check:
    kwargs = expectation["kwargs"]
    column = kwargs.get("column") or f"{kwargs.get('column_A')},{kwargs.get('column_B')}"
    return expectation["type"], column


def reason_en(check: Check, severity: str = "warning") -> str:
    (meta,) = [
        e["meta"]
        for e in SUITE_JSON["expectations"]
        if check_of(e) == check and e["severity"] == severity
    ]
    return meta["reason_en"]


def good_rows(count: int) -> list[dict[str, Any]]:
    return [dossier(seq) for seq in range(1, count + 1)]


def test_the_suite_file_states_severity_and_reasons() -> None:
    expectations = SUITE_JSON["expectations"]
    assert len(expectations) >= 10
    for e in expectations:
        assert e["severity"] in {"critical", "warning", "info"}, e
        assert e["meta"]["reason_vi"].strip() and e["meta"]["reason_en"].strip(), e
    assert len(load_suite(SUITE_DIR, "dossiers").expectations) == len(expectations)


def test_every_column_the_suite_names_exists_in_staging(tmp_path: Path) -> None:
    with duckdb.connect(str(stage(good_rows(1), tmp_path)), read_only=True) as con:
        staged_columns = {name for (name, *_) in con.execute("DESCRIBE staged").fetchall()}
    named = {v for e in SUITE_JSON["expectations"] for k, v in e["kwargs"].items()
             if k in ("column", "column_A", "column_B")}  # fmt: skip
    assert named <= staged_columns


def test_a_missing_suite_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match="no such expectation suite"):
        load_suite(tmp_path, "dossiers")
    (tmp_path / "hong.json").write_text('{"name": "hong", "expectations": [{"type": 1}]}')
    with pytest.raises(SuiteError, match="not a valid GX expectation suite"):
        load_suite(tmp_path, "hong")


def test_clean_rows_pass_every_expectation(tmp_path: Path) -> None:
    verdict = validate(good_rows(12), tmp_path)
    assert not verdict.rejected and verdict.row_failures == []
    assert all(o.success and not o.raised for o in verdict.outcomes)
    assert len(verdict.outcomes) == len(SUITE_JSON["expectations"])


# Each bad row breaks one rule: (the record, the check it must fail).
BAD_ROWS: list[tuple[dict[str, Any], Check]] = [
    (dossier(21, MaHoSo="G22.74.05/261005/0021"),
     ("expect_column_values_to_match_regex", "dossier_code")),
    (dossier(22, MaHoSo=None), ("expect_column_values_to_not_be_null", "dossier_code")),
    (dossier(23, NgayCapNhat="20261009100000"),  # older copy of row 24
     ("expect_column_values_to_be_in_set", "key_copy")),
    (dossier(23, NgayCapNhat="20261011100000"), None),
    (dossier(25, MaTTHC="1.00422"), ("expect_column_values_to_match_regex", "procedure_code")),
    (dossier(26, MaDonVi="99999"), ("expect_column_values_to_be_in_set", "unit_code")),
    (dossier(27, KenhThucHien=7), ("expect_column_values_to_be_in_set", "channel")),
    (dossier(28, TrangThaiHoSo="Đã xử lí xong"), ("expect_column_values_to_be_in_set", "status")),
    (dossier(29, NgayHenTra="20261004170000"),
     ("expect_column_pair_values_a_to_be_greater_than_b", "due_at,received_at")),
    (dossier(30, NgayKetThucXuLy="20261005085959"),
     ("expect_column_pair_values_a_to_be_greater_than_b", "finished_at,received_at")),
    (dossier(31, NgayTiepNhan="20260930090000"),
     ("expect_column_values_to_be_in_set", "received_period")),
    (dossier(32, SoGiayToChuHoSo="07412345678"),
     ("expect_column_values_to_be_in_set", "applicant_id_format")),
]  # fmt: skip


@pytest.fixture(scope="module")
def mixed_verdict(tmp_path_factory: pytest.TempPathFactory) -> Verdict:
    records = good_rows(20) + [record for record, _ in BAD_ROWS]
    return validate(records, tmp_path_factory.mktemp("mixed"))


def test_each_bad_row_is_quarantined_with_its_reason(mixed_verdict: Verdict) -> None:
    expected = {20 + i: check for i, (_, check) in enumerate(BAD_ROWS, 1) if check}
    failed = {f.row_number: (f.expectation, f.column) for f in mixed_verdict.row_failures}
    assert failed == expected
    assert len(mixed_verdict.row_failures) == len(expected)  # one reason per bad row
    for failure in mixed_verdict.row_failures:
        assert failure.severity == "warning"
        assert failure.reason == reason_en((failure.expectation, failure.column or ""))


def test_bad_rows_do_not_reject_the_batch(mixed_verdict: Verdict) -> None:
    assert not mixed_verdict.rejected and mixed_verdict.rejection_reasons == []
    unique = next(o for o in mixed_verdict.outcomes if o.expectation.endswith("_be_unique"))
    assert (unique.severity, unique.success, unique.unexpected_count) == ("info", False, 2)


def test_an_empty_batch_is_rejected(tmp_path: Path) -> None:
    verdict = validate([], tmp_path)
    assert verdict.rejected
    assert "Empty batch: the source returned no rows" in verdict.rejection_reasons


def test_over_5_percent_unreadable_received_dates_reject_the_batch(tmp_path: Path) -> None:
    records = good_rows(18) + [dossier(s, NgayTiepNhan="05/10/2026 09:00") for s in (19, 20)]
    verdict = validate(records, tmp_path)
    assert verdict.rejected
    critical = reason_en(("expect_column_values_to_not_be_null", "received_at"), "critical")
    assert verdict.rejection_reasons == [critical]
    assert critical.startswith("Over 5% of rows lack a readable received date")


def test_5_percent_unreadable_dates_only_quarantine_those_rows(tmp_path: Path) -> None:
    records = [*good_rows(19), dossier(20, NgayTiepNhan="2026-10-05 09:00:00")]
    verdict = validate(records, tmp_path, language="vi")
    assert not verdict.rejected
    # the date is NULL (not a guess) and the row carries its landing defect: both say so
    assert sorted((f.row_number, f.column) for f in verdict.row_failures) == [
        (20, "parse_defect"),
        (20, "received_at"),
    ]
    assert "Thiếu hoặc sai định dạng ngày tiếp nhận" in {f.reason for f in verdict.row_failures}


def test_severity_comes_from_the_suite_file(tmp_path: Path) -> None:
    data = json.loads(json.dumps(SUITE_JSON))
    for e in data["expectations"]:
        if check_of(e) == ("expect_column_values_to_be_in_set", "channel"):
            e["severity"] = "critical"
    suite = gx.ExpectationSuite(**data)
    staged = stage([*good_rows(5), dossier(6, KenhThucHien=9)], tmp_path)
    verdict = validate_staged(staged, "staged", suite, PARAMETERS, "en")
    assert verdict.rejected and verdict.rejection_reasons == ["Channel must be 1, 2 or 3"]
    assert verdict.row_failures == []  # a critical failure rejects; rows are not quarantined


def test_every_failing_row_is_reported_not_only_the_first_twenty(tmp_path: Path) -> None:
    # GX's SQL engine caps its index list at partial_unexpected_count (20 by
    # default): a batch with 60 bad rows must still quarantine all 60, and a row
    # failing two checks of one type (unit and channel sets) is listed for both.
    records = [dossier(n, KenhThucHien=7, MaDonVi="99999") for n in range(1, 61)]
    verdict = validate(records, tmp_path)
    by_column: dict[str | None, set[int]] = {}
    for failure in verdict.row_failures:
        by_column.setdefault(failure.column, set()).add(failure.row_number)
    assert by_column["channel"] == set(range(1, 61))
    assert by_column["unit_code"] == set(range(1, 61))
