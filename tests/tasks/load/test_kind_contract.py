"""A kind is its YAML contract: landing, staging, core table and baseline checks follow from it.

The kind here (VNeID accounts activated per commune) is not one plan06 ships:
it is written the way a data engineer would add one, and taken through the
same code a run uses.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import yaml

from tasks.datasets import DatasetKind
from tasks.load.core_tables import ensure_core_table
from tasks.load.stage import stage_batch
from tasks.sources.canonical import Canon, canonicalise
from tasks.sources.http_api.client import Page
from tasks.sources.http_api.landing import RecordMapper, land_pages
from tasks.sources.mapping import DatasetMapping
from tasks.validate.baseline import with_baseline
from warehouse.db import migrate

KIND = DatasetKind.model_validate(
    yaml.safe_load("""
id: vneid_accounts
description: Tài khoản định danh điện tử mức 2 đã kích hoạt (per commune and day)
core_table: vneid_accounts
key: [unit_code, day]
latest_by: reported_at
fields:
  - {name: MaXa, type: code, as: unit_code, required: true}
  - {name: Ngay, type: timestamp, as: reported_at, required: true}
  - {name: SoTaiKhoan, type: int, as: accounts, default: 0, required: true}
  - {name: DaDoiSoat, type: flag, as: reconciled, required: true}
  - {name: CanBoNhap, type: citizen_id, as: clerk}
derived:
  day: strftime(reported_at, '%Y-%m-%d')
""")
)
MAPPING = DatasetMapping(
    columns={"MaXa": "xa", "Ngay": "ngay", "SoTaiKhoan": "so", "DaDoiSoat": "doi_soat",
             "CanBoNhap": "can_bo"},
    values={"DaDoiSoat": {"Có": 1, "Không": 0}},
    formats={"default": "%d/%m/%Y"},
)  # fmt: skip
RECORDS = [
    {"xa": "25747", "ngay": "05/10/2026", "so": 120, "doi_soat": "Có", "can_bo": "074 123 456 789"},
    {"xa": "25747", "ngay": "05/10/2026", "so": 130, "doi_soat": "Có", "can_bo": None},
    {"xa": "25750", "ngay": "06/10/2026", "so": None, "doi_soat": "Không", "can_bo": None},
]
KEY = b"test-pseudonym-key-0123456789abcdef"


def staged(tmp_path: Path) -> Path:
    raw, landed, staged = tmp_path / "b.raw.parquet", tmp_path / "b.parquet", tmp_path / "s.db"
    mapper = RecordMapper("t/vneid", MAPPING.source_names(KIND))
    land_pages([Page(1, RECORDS, 3, None)], raw, mapper, KIND.field_names)
    canonicalise(Canon("t/vneid", KIND, MAPPING, typed_cells=False), raw, landed)
    stage_batch(landed, staged, KEY, KIND)
    return staged


def test_a_new_kind_stages_typed_with_defaults_pseudonyms_and_key_copies(tmp_path):
    with duckdb.connect(str(staged(tmp_path)), read_only=True) as con:
        rows = con.execute(
            "SELECT unit_code, reported_at, accounts, reconciled, day, key_copy,"
            " clerk_pseudonym IS NOT NULL FROM staged ORDER BY row_number"
        ).fetchall()
        columns = [
            c for (c,) in con.execute("SELECT column_name FROM (DESCRIBE staged)").fetchall()
        ]
    assert rows == [
        ("25747", datetime(2026, 10, 5), 120, True, "2026-10-05", 1, True),  # kept: a tie on
        ("25747", datetime(2026, 10, 5), 130, True, "2026-10-05", 2, False),  # latest_by, first
        ("25750", datetime(2026, 10, 6), 0, False, "2026-10-06", 1, False),  # missing -> default
    ]
    assert "clerk" not in columns  # only the pseudonym leaves staging


def test_its_core_table_is_made_from_the_contract_once(tmp_path):
    con = duckdb.connect()
    migrate(con)
    ensure_core_table(con, KIND, staged(tmp_path))
    ensure_core_table(con, KIND, staged(tmp_path / "again"))  # existing: checked, kept
    described = {r[0]: (r[1], r[2]) for r in con.execute("DESCRIBE core.vneid_accounts").fetchall()}
    assert described["accounts"] == ("INTEGER", "NO") and described["clerk_pseudonym"][1] == "YES"
    assert described["reported_at"] == ("TIMESTAMP", "NO") and described["day"][1] == "NO"
    assert {"plan_id", "period", "batch_id", "source_ref"} <= described.keys()


def test_its_suite_gets_the_baseline_checks_it_does_not_state(tmp_path):
    suite = {"name": "vneid_accounts", "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "unit_code"},
         "meta": {"reason_vi": "Thiếu mã xã", "reason_en": "Commune missing"}},
    ]}  # fmt: skip
    checks = {
        (e["type"], e["kwargs"]["column"]) for e in with_baseline(suite, KIND)["expectations"]
    }
    assert checks == {
        ("expect_column_values_to_not_be_null", "unit_code"),  # the suite's own words stay
        ("expect_column_values_to_not_be_null", "day"),
        ("expect_column_values_to_be_null", "parse_defect"),
        ("expect_column_values_to_be_in_set", "key_copy"),
        ("expect_column_values_to_be_in_set", "reconciled"),
    }
