"""Plans for provinces whose systems speak other dialects, added with files only.

tests/fixtures/plans/ holds four plans for Đồng Nai's dossiers, each from a
source shaped differently from the National Public Service Portal's: the
simulator's motcua-v2 API (result.data, Link-header paging, snake_case, ISO
8601 with +07:00, true/false), its egov API (cursor paging, nested camelCase,
epoch milliseconds, Có/Không), and dossier drops as CSV (Vietnamese headers,
dd/mm/yyyy HH:MM:SS) and XLSX (real date cells). They are the same dossiers as
the seed plan's portal API, so every figure must come out the same. The CLI
runs as a user types it, in a subprocess, through the real flow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from tasks.settings import PROJECT_ROOT

PERIOD = "2026-10"
PORTAL = "dong-nai-cu-tru-dat-dai"
VENDORS = ["dong-nai-motcua-v2", "dong-nai-egov", "dong-nai-ho-so-csv", "dong-nai-ho-so-xlsx"]
PLAN06 = str(Path(sys.executable).with_name("plan06"))


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([PLAN06, *args], env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def plans_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    plans = tmp_path_factory.mktemp("plans")
    for name in [PORTAL, *VENDORS]:
        folder = "flows/plans" if name == PORTAL else "tests/fixtures/plans"
        shutil.copy(PROJECT_ROOT / folder / f"{name}.yaml", plans)
    env = {**os.environ, "PLAN06_PLANS_DIR": str(plans),
           "PLAN06_DATA_DIR": str(tmp_path_factory.mktemp("data"))}  # fmt: skip
    run = cli(["run", PORTAL, *VENDORS, "--period", PERIOD], env)
    assert run.returncode == 0, run.stderr[-3000:]
    return Path(env["PLAN06_DATA_DIR"]) / "plan06.duckdb", env


def test_each_vendor_plan_passes_plans_check(plans_run):
    _, env = plans_run
    check = cli(["plans", "check"], env)
    assert check.returncode == 0, check.stderr
    for name in VENDORS:
        assert f"ok {name}: 1 dataset(s)" in check.stdout


def test_every_dialect_publishes_the_same_dossiers_as_the_portal(plans_run):
    warehouse, _ = plans_run
    with duckdb.connect(str(warehouse), read_only=True) as con:
        batches = dict(
            (plan, figures)
            for plan, *figures in con.execute(
                "SELECT plan_id, status, rows_in, rows_published, rows_quarantined"
                " FROM ops.batches WHERE dataset IN ('dossiers', 'ho_so') AND period = ?",
                [PERIOD],
            ).fetchall()
        )
        kpis = {
            plan: con.execute(
                "SELECT * EXCLUDE (plan_id, batch_ids) FROM marts.dossier_kpis"
                " WHERE plan_id = ? ORDER BY unit_code, domain, period",
                [plan],
            ).fetchall()
            for plan in [PORTAL, *VENDORS]
        }
    status, rows_in, published, quarantined = batches[PORTAL]
    assert status == "published" and rows_in > 900 and 0 < quarantined < 30
    for name in VENDORS:
        assert batches[name] == [status, rows_in, published, quarantined], name
        assert kpis[name] == kpis[PORTAL], f"{name}: KPIs differ from the portal's"


def test_no_name_of_an_applicant_is_landed_from_a_nested_dialect(plans_run):
    warehouse, _ = plans_run
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT count(*) FROM core.dossiers WHERE plan_id = 'dong-nai-egov'"
            " AND applicant_pseudonym IS NOT NULL"
        ).fetchone()
        (text,) = con.execute(
            "SELECT string_agg(record::VARCHAR, '') FROM ops.quarantine"
        ).fetchone()
    assert rows[0] > 900  # the nested citizen ID was mapped and pseudonymised
    assert "hoTen" not in (text or "") and "Nguyễn" not in (text or "")


def test_probe_proposes_the_mapping_the_plan_file_uses(plans_run, tmp_path):
    _, env = plans_run
    probe = cli(["sources", "probe", "dong-nai-motcua-v2", "ho_so", "--period", PERIOD], env)
    assert probe.returncode == 0, probe.stderr
    block = probe.stdout.split("Proposed for the dataset entry of the plan file:")[1]
    proposed = yaml.safe_load(block.strip().split("\n\n")[0])
    fixture = PROJECT_ROOT / "tests" / "fixtures" / "plans" / "dong-nai-motcua-v2.yaml"
    plan = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    dataset = plan["datasets"][0]
    assert proposed["columns"] == dataset["columns"]
    assert proposed["components"] == dataset["components"]
    assert proposed["formats"] == dataset["formats"]
