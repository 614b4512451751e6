"""File drops: paths confined to the root, each file loaded once, versions, row quarantine."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pydantic
import pytest

from simulator.drop_corpus import HEADER, sample_rows
from simulator.drops import csv_bytes
from tasks.datasets import dataset_kind
from tasks.load.stage import stage_batch
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.specs import FileDropSource
from tasks.sources.state import known_files, save_source_state
from tasks.validate.run import validate_staged
from tasks.validate.suites import load_suite
from tests.landing import land_drop
from tests.tasks.sources.records import KEY
from tests.tasks.sources.test_file_corpus import SOURCE
from warehouse.db import open_warehouse, transaction

PERIOD = "2026-10"


def spec(path: str = "dat-dai/*.csv") -> FileDropSource:
    assert isinstance(SOURCE, FileDropSource)
    return SOURCE.model_copy(update={"path": path})


def pull(root: Path, source: FileDropSource, target: Path, known: frozenset = frozenset()):
    return land_drop(root, source, target, set(known), PERIOD)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "drop" / "dat-dai"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_bytes(csv_bytes(HEADER, sample_rows()))
    return tmp_path / "drop"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("../outside/*.csv", "'..'"), ("/etc/*.csv", "absolute"), ("dat-dai/\0*.csv", "NUL"),
     ("nothing/*.csv", "no file matches")],
)  # fmt: skip
def test_unsafe_or_empty_patterns_fail_with_a_message(root, tmp_path, pattern, message):
    with pytest.raises(PermanentSourceError, match=message):
        pull(root, spec(pattern), tmp_path / "b.parquet")
    assert not (tmp_path / "b.parquet").exists()


def test_the_plan_check_refuses_a_path_that_leaves_the_root():
    data = spec().model_dump() | {"path": "../x/*.csv"}
    with pytest.raises(pydantic.ValidationError, match="drop root"):
        FileDropSource.model_validate(data)


def test_a_symlink_out_of_the_root_is_quarantined_not_read(root, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_bytes(csv_bytes(HEADER, sample_rows()))
    os.symlink(secret, root / "dat-dai" / "b.csv")
    landed = pull(root, spec(), tmp_path / "b.parquet")
    files = {f["file_path"]: f for f in landed.source_state["files"]}
    assert files["dat-dai/b.csv"]["status"] == "quarantined"
    assert "symbolic link" in files["dat-dai/b.csv"]["reason"]
    assert landed.rows == 3  # only a.csv's rows


def record(con, landed, batch_id: str) -> None:
    with transaction(con):
        save_source_state(con, (batch_id, "p", "land_parcels", PERIOD), landed.source_state, True)


def test_each_file_loads_once_and_a_changed_file_is_a_new_version(root, tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    try:
        first = pull(root, spec(), tmp_path / "1.parquet")
        record(con, first, "b1")
        again = pull(root, spec(), tmp_path / "2.parquet", known_files(con, "p", "land_parcels"))
        assert (first.rows, again.skipped) == (3, "every file already loaded")
        (root / "dat-dai" / "a.csv").write_bytes(csv_bytes(HEADER, sample_rows()[:2]))
        changed = pull(root, spec(), tmp_path / "3.parquet", known_files(con, "p", "land_parcels"))
        record(con, changed, "b3")
        ledger = con.execute(
            "SELECT version, status, rows_landed FROM ops.file_ledger ORDER BY version"
        ).fetchall()
    finally:
        con.close()
    assert changed.skipped is None and changed.rows == 2
    assert ledger == [(1, "superseded", 3), (2, "loaded", 2)]


def test_a_bad_row_is_quarantined_by_the_suite_with_file_and_line(root, tmp_path):
    rows = sample_rows(40)  # the suite rejects a batch with over 5% unreadable dates
    rows[1] = [*rows[1], "thừa"]
    (root / "dat-dai" / "a.csv").write_bytes(csv_bytes(HEADER, rows))
    landed = pull(root, spec(), tmp_path / "b.parquet")
    staged = tmp_path / "s.duckdb"
    stage_batch(landed.path, staged, KEY, dataset_kind("land_parcels"))
    suite = load_suite(Path("expectations"), "land_parcels")
    units = [r[1] for r in rows]
    verdict = validate_staged(
        staged, "staged", suite, {"unit_codes": units, "periods": [PERIOD]}, "en"
    )
    failed = {(f.row_number, f.reason) for f in verdict.row_failures}
    assert not verdict.rejected
    assert {n for n, _ in failed} == {2}
    assert any("see source_ref (file:line)" in reason for _, reason in failed)
    with duckdb.connect(str(staged), read_only=True) as con:
        (ref,) = con.execute("SELECT source_ref FROM staged WHERE row_number = 2").fetchone()
    assert ref == "dat-dai/a.csv:3"


def test_a_rejected_file_s_batch_carries_the_file_s_reason(root, tmp_path):
    """Not "the source returned no rows": the lead reads why the file was refused."""
    header = [h for h in HEADER if h != "Đã quét GCN"]
    (root / "dat-dai" / "a.csv").write_bytes(
        csv_bytes(header, [r[:5] + r[6:] for r in sample_rows()])
    )
    con = open_warehouse(tmp_path / "w.duckdb")
    try:
        landed = pull(root, spec(), tmp_path / "b.parquet")
        with transaction(con):
            con.execute(
                "INSERT INTO ops.batches BY NAME SELECT 'b1' AS batch_id, 'p' AS plan_id,"
                " 'land_parcels' AS dataset, ? AS period, 'rejected' AS status, 0 AS rows_in,"
                " 0 AS rows_published, 0 AS rows_quarantined, '' AS checksum,"
                " now() AS started_at, now() AS finished_at,"
                " 'Empty batch: the source returned no rows' AS reason",
                [PERIOD],
            )
            save_source_state(con, ("b1", "p", "land_parcels", PERIOD), landed.source_state, False)
        (reason,) = con.execute("SELECT reason FROM ops.batches").fetchone()
    finally:
        con.close()
    assert reason.startswith("dat-dai/a.csv: header: missing column(s): Đã quét GCN")
