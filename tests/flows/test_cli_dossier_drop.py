"""A dossier file drop with date columns, published end to end by `plan06 run` as a
subprocess (issue 16, item 7: the "end to end" tests called sync_all, bypassing the
CLI, and no test published a dossier drop whose dates are declared date columns).

The test states the behaviour a lead checks: the published dossiers have their dates.
Before the dataset-level mapping (merged from main) a source's date_columns landed as
ISO dates that the dossier staging did not read: every row lost received_at and the
batch was rejected.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from bench.generate import generate
from tasks.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e
PERIOD, ROWS = "2026-10", 200
DATES = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy")


def dossier_drop(root: Path) -> Path:
    """The bench dossiers, their date columns as staff export them: dd/mm/yyyy."""
    raw, _ = generate(ROWS, PERIOD, root / "raw")
    out = root / "drop" / "dossiers" / PERIOD / "ho-so.csv"
    out.parent.mkdir(parents=True)
    as_days = ", ".join(
        f"strftime(try_strptime({c}, '%Y%m%d%H%M%S'), '%d/%m/%Y') AS {c}" for c in DATES
    )
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * REPLACE ({as_days}) FROM read_csv('{raw}', all_varchar = true))"
            f" TO '{out}' (HEADER, DELIMITER ',')"
        )
    return root / "drop"


def plan_file(folder: Path) -> Path:
    plan = yaml.safe_load((PROJECT_ROOT / "bench" / "plans" / "bench-dossiers.yaml").read_text())
    plan["sources"]["drop"]["bulk_min_bytes"] = 64 * 2**20  # a staff export: row by row
    # the dates' form, declared as the dataset-level mapping declares it
    plan["datasets"][0]["formats"] = dict.fromkeys(DATES, "%d/%m/%Y")
    folder.mkdir()
    (folder / "bench-dossiers.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True))
    return folder


def test_plan06_run_publishes_a_dossier_drop_with_its_dates(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PLAN06_"))}
    env |= {
        "PLAN06_DATA_DIR": str(tmp_path / "data"),
        "PLAN06_PLANS_DIR": str(plan_file(tmp_path / "plans")),
        "PLAN06_BENCH_DROP_ROOT": str(dossier_drop(tmp_path)),
        "PLAN06_PSEUDONYM_KEY": "test-key-0123456789abcdef0123456789abcdef",
    }
    run = subprocess.run(
        [str(Path(sys.executable).parent / "plan06"), "run", "--period", PERIOD,
         "--no-simulator"],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    with duckdb.connect(str(tmp_path / "data" / "plan06.duckdb"), read_only=True) as con:
        published, dated, days = con.execute(
            "SELECT count(*), count(received_at), count(DISTINCT received_at::DATE)"
            " FROM core.dossiers"
        ).fetchone()
        (status,) = con.execute("SELECT status FROM ops.batches").fetchone()
    assert status == "published"
    assert published >= ROWS * 0.98 and dated == published  # ~0.4% bad rows quarantined
    assert days == 28  # each of the period's days, as in the file
