"""A big file drop through the real flow: bulk read, marts after the commit, rerun skipped.

The benchmark's plans (bench/plans) with a few thousand generated dossiers;
the size thresholds are lowered so this small batch takes the paths a 10 M-row
one takes: DuckDB bulk landing, and marts refreshed in a second transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import flows.publishing
from bench.generate import generate
from flows.sync_plan import sync_plan
from tasks.load.marts import marts_are_current
from tasks.settings import PROJECT_ROOT

PERIOD = "2026-10"
ROWS = 3_000


@pytest.fixture(scope="module")
def drop(prefect_api, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("drop")
    csv_path, _ = generate(ROWS, PERIOD, root / "dossiers" / PERIOD)
    with csv_path.open("a", encoding="utf-8") as fh:  # a malformed last line (line ROWS + 2)
        fh.write("G22.74.99-261031-9999,1.004048,25741\n")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PLAN06_PLANS_DIR", str(PROJECT_ROOT / "bench" / "plans"))
        env.setenv("PLAN06_BENCH_DROP_ROOT", str(root))
        env.setenv("PLAN06_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        env.setenv("PLAN06_PSEUDONYM_KEY", "test-key-0123456789abcdef0123456789abcdef")
        env.setattr(flows.publishing, "MARTS_IN_TRANSACTION_MAX_ROWS", 100)
        yield root


def warehouse() -> duckdb.DuckDBPyConnection:
    from tasks.settings import load_settings

    return duckdb.connect(str(load_settings().warehouse_path), read_only=True)


@pytest.mark.parametrize("plan_id", ["bench-dossiers", "bench-dossiers-parquet"])
def test_a_big_drop_is_published_with_its_marts_and_a_rerun_loads_nothing(drop, plan_id):
    (run,) = sync_plan(plan_id, PERIOD, deliver=False)
    rows = ROWS + (plan_id == "bench-dossiers")  # the CSV has the malformed line too
    assert run.result.rows_in == rows
    assert run.result.rows_published + run.result.rows_quarantined == rows
    assert 0 < run.result.rows_quarantined < ROWS * 0.02  # the generator's share of bad rows
    with warehouse() as con:
        (received,) = con.execute(
            "SELECT sum(dossiers_received) FROM marts.dossier_kpis WHERE plan_id = ?", [plan_id]
        ).fetchone()
        assert received == run.result.rows_published  # marts refreshed after the commit
        assert marts_are_current(con, plan_id)
        malformed = con.execute(
            "SELECT record ->> 'source_ref', reason FROM ops.quarantine"
            " WHERE plan_id = ? AND column_name = 'parse_defect'",
            [plan_id],
        ).fetchall()
        if plan_id == "bench-dossiers":  # kept, with its line and its defect
            ((ref, reason),) = malformed
            assert ref == f"dossiers/{PERIOD}/dossiers.csv:{ROWS + 2}"
            assert reason.startswith("Dòng lỗi trong tệp nguồn")
        else:
            assert malformed == []
        (batches,) = con.execute(
            "SELECT count(*) FROM ops.batches WHERE plan_id = ?", [plan_id]
        ).fetchone()
    assert sync_plan(plan_id, PERIOD, deliver=False) == []  # the file ledger knows the file
    with warehouse() as con:
        assert con.execute(
            "SELECT count(*) FROM ops.batches WHERE plan_id = ?", [plan_id]
        ).fetchone() == (batches,)
        assert con.execute(
            "SELECT sum(dossiers_received) FROM marts.dossier_kpis WHERE plan_id = ?", [plan_id]
        ).fetchone() == (received,)
