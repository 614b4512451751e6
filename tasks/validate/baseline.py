"""Expectations every kind gets from its contract, added to its suite unless already there.

From warehouse/datasets/<kind>.yaml: a row defect found while landing
(`parse_defect`) quarantines the row; each key column is not null; a repeated
key keeps only its latest copy (`key_copy` = 1); a required flag is true or
false. A suite may state any of these itself, with its own words: then the
suite's stays and the baseline one is left out, so no check runs twice.
"""

from __future__ import annotations

from typing import Any

from tasks.datasets import DatasetKind


def _expectation(kind_of: str, column: str, reason_vi: str, reason_en: str,
                 **kwargs: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "type": kind_of,
        "kwargs": {"column": column, **kwargs},
        "meta": {"reason_vi": reason_vi, "reason_en": reason_en, "baseline": True},
        "severity": "warning",
    }


def baseline_expectations(kind: DatasetKind) -> list[dict[str, Any]]:
    """The contract's checks, in GX's JSON form."""
    found = [
        _expectation(
            "expect_column_values_to_be_null", "parse_defect",
            "Bản ghi lỗi khi đọc từ nguồn (số cột, định dạng ngày, giá trị ngoài bảng mã): xem"
            " parse_defect", "Row defect found while landing (field count, date format, value"
            " outside its map): see parse_defect",
        )
    ]  # fmt: skip
    for column in kind.key:
        found.append(_expectation("expect_column_values_to_not_be_null", column,
                                  f"Thiếu khóa {column}", f"Key {column} missing"))  # fmt: skip
    found.append(_expectation(
        "expect_column_values_to_be_in_set", "key_copy",
        "Trùng khóa trong lô: giữ bản mới nhất", "Repeated key in the batch: the latest is kept",
        value_set=[1],
    ))  # fmt: skip
    for f in kind.of_type("flag"):
        if f.required and f.keep:
            found.append(_expectation(
                "expect_column_values_to_be_in_set", f.as_,
                f"Giá trị {f.name} không đọc được (chỉ có/không)",
                f"{f.name} unreadable (yes/no only)", value_set=[True, False],
            ))  # fmt: skip
    return found


def with_baseline(suite: dict[str, Any], kind: DatasetKind) -> dict[str, Any]:
    """The suite's expectations plus the baseline ones it does not state itself."""
    stated = {(e["type"], e.get("kwargs", {}).get("column")) for e in suite["expectations"]}
    stated |= {("expect_column_values_to_be_in_set", c) for t, c in stated
               if t == "expect_column_values_to_not_be_null"}  # fmt: skip
    extra = [
        e for e in baseline_expectations(kind) if (e["type"], e["kwargs"]["column"]) not in stated
    ]
    return suite | {"expectations": [*suite["expectations"], *extra]}
