"""The 766 sub-indicators dossiers cannot give, loaded as a dataset like any
other (stage, GX suite, publish): with them a score covers all 100 points and
earns a band."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tasks.datasets import dataset_kind
from tasks.load.marts import refresh_marts
from tasks.load.publish import BatchInfo, publish_batch
from tasks.load.stage import stage_batch
from tasks.settings import PROJECT_ROOT
from tasks.validate.run import validate_staged
from tasks.validate.suites import load_suite
from tests.builders import PLAN_ID, UNIT, dossier
from tests.landing import land_records

KEY = b"k" * 32
# 9 of 10 everywhere (>= every 80% threshold, and the 90% of satisfaction),
# but handling satisfaction 8 of 10: 0.8 < 0.9 -> 0.8 x 6 / 0.9 = 5.33
VALUES = {
    "published_on_time": (9, 10), "updated_on_time": (9, 10), "fully_published": (9, 10),
    "online_payment": (9, 10), "e_certified_copies": (9, 10), "personal_data_store": (9, 10),
    "population_db_use": (9, 10), "feedback_on_time": (9, 10), "feedback_satisfaction": (9, 10),
    "handling_satisfaction": (8, 10),
}  # fmt: skip
ROWS = [
    {"MaDonVi": UNIT, "KyBaoCao": "2026-10", "MaChiSo": k, "TuSo": n, "MauSo": d}
    for k, (n, d) in VALUES.items()
]
BAD = [
    {"MaDonVi": UNIT, "KyBaoCao": "2026-10", "MaChiSo": "bogus", "TuSo": 1, "MauSo": 2},
    {"MaDonVi": "25750", "KyBaoCao": "2026-10", "MaChiSo": "online_payment", "TuSo": 5, "MauSo": 4},
]


def publish_indicators(con, tmp_path: Path, rows: list[dict]) -> list[str]:
    kind = dataset_kind("service_indicators")
    staged = tmp_path / "staged-si.duckdb"
    landed = tmp_path / "si.parquet"
    land_records(rows, landed, kind.id)
    stage_batch(landed, staged, KEY, kind)
    suite = load_suite(PROJECT_ROOT / "expectations", "service_indicators")
    verdict = validate_staged(
        staged, "staged", suite, {"unit_codes": [UNIT, "25750"], "periods": ["2026-10"]}, "en"
    )
    batch = BatchInfo(
        "si1", PLAN_ID, "service_indicators", "2026-10", "/api", None, datetime.now(),
        kind.core_table, tuple(kind.key_columns),
    )  # fmt: skip
    publish_batch(con, staged, batch, verdict)
    return sorted(f.reason for f in verdict.row_failures)


def test_a_complete_score_earns_a_band(warehouse, publish, tmp_path):
    # one clean dossier: sync 6 + on time 20 + e-result 6 + digitised 4 + reuse 0
    # (0 of 1 reused) + fully online 12 = 48 of 50
    publish([dossier(1)])
    reasons = publish_indicators(warehouse, tmp_path, ROWS + BAD)
    assert reasons == [
        "Indicator id is not one of the 766 indicators taken from this dataset"
        " (scoring_766.yaml: unmeasured)",
        "Numerator or denominator unreadable, or numerator above denominator",
    ]
    refresh_marts(warehouse, PLAN_ID)
    row = warehouse.execute(
        "SELECT points, max_points, coverage, score, band_vi, missing FROM marts.score_766"
        " WHERE unit_code = ?",
        [UNIT],
    ).fetchone()
    # 48 + 6 + 4 + 2 + 10 + 2 + 4 + 4 + 6 + 6 + 5.33 = 97.33 of 100
    assert row == (97.33, 100, 1.0, 97.33, "Tốt", [])
