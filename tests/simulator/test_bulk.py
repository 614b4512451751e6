"""The bulk simulator (the benchmarks' HTTP source) serves dossiers the dossiers
suite accepts: a page of codes in another format had the suite quarantine every
row, and the HTTP benchmark timed the quarantine path instead of the load."""

from __future__ import annotations

import json
import re
from pathlib import Path

import orjson

from simulator.bulk import MAX_ROWS, dossier_code, page_body

SUITE = Path(__file__).resolve().parents[2] / "expectations" / "dossiers.json"


def _code_regex() -> str:
    suite = json.loads(SUITE.read_text(encoding="utf-8"))
    (regex,) = [
        e["kwargs"]["regex"]
        for e in suite["expectations"]
        if e["type"] == "expect_column_values_to_match_regex"
        and e["kwargs"]["column"] == "dossier_code"
    ]
    return regex


def test_every_code_is_in_the_suites_format_and_unique_up_to_the_limit() -> None:
    regex = re.compile(_code_regex())
    sample = [*range(0, 400_000), *range(MAX_ROWS - 400_000, MAX_ROWS)]
    codes = [dossier_code(i).decode() for i in sample]
    assert all(regex.fullmatch(code) for code in codes), [
        c for c in codes if not regex.fullmatch(c)
    ][:3]
    assert len(set(codes)) == len(codes)


def test_a_page_is_json_with_the_requested_dossiers_and_the_total() -> None:
    page = orjson.loads(page_body(number=3, size=500, rows=1_200))
    assert (page["page"], page["total"], page["next_page"]) == (3, 1_200, None)
    assert len(page["data"]) == 200  # rows 1,000 to 1,199
    assert page["data"][0]["MaHoSo"] == dossier_code(1_000).decode()
    assert {"MaHoSo", "MaDonVi", "NgayTiepNhan"} <= set(page["data"][0])
