"""For each seed plan, the simulator's dossiers of a month before and a month
after 01/07/2025 pass the area check, and the old and new boundaries add up
to the same totals as the plan's own KPIs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from flows.plans import load_plans
from simulator.generator import generate_dossiers
from tasks.datasets import dataset_kind
from tasks.load.marts import refresh_marts
from tasks.load.plans import area_unit_codes, sync_plan_dimensions
from tasks.load.publish import BatchInfo, publish_batch
from tasks.load.stage import stage_batch
from tasks.settings import PROJECT_ROOT
from tasks.validate.run import Verdict
from tests.builders import land

PLANS = load_plans(PROJECT_ROOT / "flows" / "plans")
SYSTEMS = {
    "binh-duong-cu-tru-dat-dai": "binh-duong",
    "dong-nai-cu-tru-dat-dai": "dong-nai",
    "kien-giang-phu-quoc": "kien-giang",
}
COUNTS = (
    "sum(dossiers_received), sum(dossiers_digitised), sum(dossiers_with_result),"
    " sum(dossiers_e_result), sum(dossiers_synced), sum(dossiers_online),"
    " sum(dossiers_fully_online), sum(dossiers_judged), sum(dossiers_on_time),"
    " sum(dossiers_reused)"
)


@pytest.mark.parametrize("plan_id", sorted(SYSTEMS))
def test_simulated_dossiers_agree_on_both_boundaries(warehouse, tmp_path: Path, plan_id):
    plan = PLANS[plan_id]
    sync_plan_dimensions(warehouse, plan)
    area = set(area_unit_codes(warehouse, plan))
    kind = dataset_kind("dossiers")
    for n, period in enumerate(("2025-05", "2025-09"), 1):
        rows = generate_dossiers(SYSTEMS[plan_id], period, scale=0.2)
        # the simulator's deliberate defects include codes outside every area
        outside = [r for r in rows if r["MaDonVi"] not in area]
        assert len(outside) <= 0.01 * len(rows) + 1, outside[:3]
        clean = [r for r in rows if r["MaDonVi"] in area and r["MaHoSo"]]
        clean = list({r["MaHoSo"]: r for r in clean}.values())  # one copy per code
        staged = tmp_path / f"{plan_id}-{n}.duckdb"
        stage_batch(land(clean, tmp_path / f"{plan_id}-{n}.parquet"), staged, b"k" * 32,
                    kind)  # fmt: skip
        batch = BatchInfo(f"{plan_id}-{n}", plan_id, "dossiers", period, "/api", None,
                          datetime.now(), kind.core_table, tuple(kind.key_columns))  # fmt: skip
        publish_batch(warehouse, staged, batch, Verdict(outcomes=[]))
    refresh_marts(warehouse, plan_id)
    totals = f"SELECT period, {COUNTS} FROM marts.{{}} WHERE plan_id = ? {{}} GROUP BY 1 ORDER BY 1"
    own = warehouse.execute(totals.format("dossier_kpis", ""), [plan_id]).fetchall()
    for boundary in ("old", "new"):
        read = warehouse.execute(
            totals.format("dossier_kpis_by_boundary", "AND boundary = ?"), [plan_id, boundary]
        ).fetchall()
        assert read == own, boundary
    assert [period for period, *_ in own] == ["2025-05", "2025-09"]
    provinces = warehouse.execute(
        "SELECT boundary, list(DISTINCT province_code ORDER BY province_code)"
        " FROM marts.dossier_kpis_by_boundary WHERE plan_id = ? GROUP BY 1 ORDER BY 1",
        [plan_id],
    ).fetchall()
    old_code = plan.partner.unit_code
    new_code = {"74": "79", "75": "75", "91": "91"}[old_code]
    assert provinces == [("new", [new_code]), ("old", [old_code])]
