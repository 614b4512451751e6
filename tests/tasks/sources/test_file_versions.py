"""A file's version is its content as read (issue 16, item 6), and refused files can be retried."""

from __future__ import annotations

import time
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from flows.plans import load_plans
from simulator.datasets import generate_records
from simulator.drops import REGISTER_COLUMNS, register_rows, write_drops, write_xlsx
from tasks.datasets import dataset_kind
from tasks.settings import PROJECT_ROOT
from tasks.sources.file_drop import pull_file_drop
from tasks.sources.file_drop.retry import mark_for_retry
from tasks.sources.state import known_files, save_source_state
from warehouse.db import open_warehouse, transaction

PLAN = load_plans(PROJECT_ROOT / "flows" / "plans")["kien-giang-phu-quoc"]
SOURCE = PLAN.sources["hotich_tep"]
KIND = dataset_kind("civil_status_registers")
DATASET = next(d for d in PLAN.datasets if d.id == "civil_status_registers")
HEADERS = {h: f for f, h in DATASET.source_names(KIND).items()}  # file header -> field
PERIOD, SLICE = "2026-10", ("kien-giang-phu-quoc", "civil_status_registers")


def workbook(path: Path, rows: list[list]) -> bytes:
    write_xlsx(path, list(REGISTER_COLUMNS), rows)
    return path.read_bytes()


def pull(root: Path, con, target: Path, headers: dict[str, str] = HEADERS):
    known = known_files(con, *SLICE)
    return pull_file_drop(root, SOURCE, "t", PERIOD, target, headers, KIND.field_names, known)


def record(con, landed, batch_id: str, published: bool = True) -> None:
    with transaction(con):
        save_source_state(con, (batch_id, *SLICE, PERIOD), landed.source_state, published)


def test_a_workbook_re_saved_with_the_same_cells_is_not_a_new_version(tmp_path: Path):
    rows = register_rows(generate_records("civil_status_registers", "kien-giang", PERIOD))
    book = tmp_path / "ho-tich" / PERIOD / "so.xlsx"
    first_bytes = workbook(book, rows)
    con = open_warehouse(tmp_path / "w.duckdb")
    try:
        record(con, pull(tmp_path, con, tmp_path / "1.parquet"), "b1")
        time.sleep(1.1)  # the archive's timestamps have a 1 s resolution
        assert workbook(book, rows) != first_bytes  # new bytes, as Excel's re-save gives
        assert pull(tmp_path, con, tmp_path / "2.parquet").skipped == "every file already loaded"
        workbook(book, rows[:-1])  # one row fewer: that is a new version
        changed = pull(tmp_path, con, tmp_path / "3.parquet")
        record(con, changed, "b3")
        ledger = con.execute("SELECT version, status FROM ops.file_ledger ORDER BY 1").fetchall()
    finally:
        con.close()
    assert changed.skipped is None and changed.rows == len(rows) - 1
    assert ledger == [(1, "superseded"), (2, "loaded")]


def test_the_simulator_leaves_an_unchanged_workbook_alone(tmp_path: Path):
    write_drops(tmp_path, [PERIOD])
    books = sorted(tmp_path.glob("*/*/*/*.xlsx"))  # civil-status registers, dossiers
    before = [b.read_bytes() for b in books]
    time.sleep(1.1)
    write_drops(tmp_path, [PERIOD])  # the simulator's next start
    assert len(books) == 2 and [b.read_bytes() for b in books] == before
    (register,) = tmp_path.glob("kien-giang/ho-tich/*/*.xlsx")
    assert register.stat().st_mtime_ns < time.time_ns() - 10**9  # not even rewritten


def refused_then_fixed(tmp_path: Path):
    """A workbook whose header says 'Mã xã' where the plan maps 'Mã đơn vị'."""
    header = ["Mã xã" if h == "Mã đơn vị" else h for h in REGISTER_COLUMNS]
    rows = register_rows(generate_records("civil_status_registers", "kien-giang", PERIOD))
    write_xlsx(tmp_path / "ho-tich" / PERIOD / "so.xlsx", header, rows)
    # the plan's mapping, fixed to the workbook's header
    return rows, {("Mã xã" if k == "Mã đơn vị" else k): v for k, v in HEADERS.items()}


def test_a_refused_file_is_read_again_after_retry(tmp_path: Path):
    rows, fixed = refused_then_fixed(tmp_path)
    con = open_warehouse(tmp_path / "w.duckdb")
    try:
        refused = pull(tmp_path, con, tmp_path / "1.parquet")
        record(con, refused, "b1", published=False)
        assert pull(tmp_path, con, tmp_path / "2.parquet", fixed).skipped  # skipped: known
        with transaction(con):
            marked = mark_for_retry(con, *SLICE, PERIOD)
        again = pull(tmp_path, con, tmp_path / "3.parquet", fixed)
        record(con, again, "b3")
        ledger = con.execute("SELECT status, rows_landed FROM ops.file_ledger").fetchall()
    finally:
        con.close()
    assert [name for name, _ in marked] == [f"ho-tich/{PERIOD}/so.xlsx"]
    assert "missing column(s): Mã đơn vị" in marked[0][1]
    assert (again.skipped, again.rows) == (None, len(rows))
    assert ledger == [("loaded", len(rows))]


def test_plan06_files_retry_marks_the_refused_files(tmp_path: Path):
    _, _ = refused_then_fixed(tmp_path)
    env = {"PLAN06_DATA_DIR": str(tmp_path / "data")}
    con = open_warehouse(tmp_path / "data" / "plan06.duckdb")
    try:
        record(con, pull(tmp_path, con, tmp_path / "1.parquet"), "b1", published=False)
    finally:
        con.close()
    args = ["files", "retry", *SLICE[:1], SLICE[1], PERIOD, "--no-run"]
    first = CliRunner().invoke(app, args, env=env)
    second = CliRunner().invoke(app, args, env=env)
    assert first.exit_code == 0, first.output
    assert f"retry ho-tich/{PERIOD}/so.xlsx (was: header: missing column(s)" in first.output
    assert second.exit_code == 1 and "no refused file" in second.output
