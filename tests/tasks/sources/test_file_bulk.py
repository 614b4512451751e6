"""Big files go through DuckDB (file_drop/bulk.py): the same outcome as row by row.

Every corpus file that bulk can read (UTF-8 CSV, Parquet; the CP1258 ones
re-encoded to UTF-8) is pulled twice, row by row and in bulk, and what a user
would see after staging's numbering is compared: the file's outcome, every
row's reference and defect, and every value once trimmed and NFC-normalised
(bulk lands text as delivered; staging normalises both alike).
"""

from __future__ import annotations

import contextlib
import unicodedata
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from simulator.drop_corpus import HEADER
from tasks.load.stage import landed_view
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.specs import FileDropSource
from tests.landing import land_drop
from tests.tasks.sources.test_file_corpus import CASES, FIELDS, corpus, spec_for  # noqa: F401

# Where the two readers word a refusal differently; the line must still agree.
DIFFERENT_WORDS = {"corrupt.parquet"}
# A quote error is one row's defect row by row; DuckDB's reader lets an open quote
# swallow the lines after it, so bulk refuses the file, at the line the row names.
QUOTE_CASES = {"bad-quote.csv", "unterminated-quote.csv"}


def numbered_rows(target: Path) -> list[dict]:
    """The landing file as the staging models read it."""
    with duckdb.connect() as con:
        landed_view(con, target)
        cursor = con.execute("SELECT * FROM landed ORDER BY _row")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def pulled(root: Path, spec: FileDropSource, target: Path) -> tuple[str, str, list[dict]]:
    try:
        landed = land_drop(root, spec, target)
    except PermanentSourceError as exc:
        return "failed", str(exc), []
    (file,) = landed.source_state["files"]
    return file["status"], file["reason"] or "", numbered_rows(target)


def as_read(rows: list[dict]) -> list[tuple]:
    """Rows by reference, values trimmed and NFC: order and _row aside."""

    def clean(value: object) -> str:
        text = unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value
        return repr(text or None)

    return sorted(tuple(clean(v) for k, v in r.items() if k != "_row") for r in rows)


def as_utf8(root: Path, spec: FileDropSource) -> FileDropSource:
    """The case as UTF-8, which bulk reads: text in another encoding is re-encoded;
    bytes that are not text (a ZIP) stay as they are, refused by both readers."""
    if spec.format == "parquet" or spec.encoding == "utf-8":
        return spec
    file = root / spec.path
    with contextlib.suppress(UnicodeDecodeError):
        file.write_bytes(file.read_bytes().decode(spec.encoding).encode("utf-8"))
    return spec.model_copy(update={"encoding": "utf-8"})


# XLSX is always read row by row; path cases are in test_file_corpus
BULK_CASES = [c for c in CASES if spec_for(c).format in ("csv", "parquet")]


@pytest.mark.parametrize("case", BULK_CASES, ids=[c.name for c in BULK_CASES])
def test_bulk_reads_each_file_as_row_by_row_does(case, corpus, tmp_path: Path):  # noqa: F811
    folder, _ = corpus
    root = tmp_path / "drop"
    root.mkdir()
    (root / case.name).write_bytes((folder / case.name / case.name).read_bytes())
    spec = as_utf8(root, spec_for(case))
    by_row = pulled(root, spec, tmp_path / "by_row.parquet")
    in_bulk = pulled(root, spec.model_copy(update={"bulk_min_bytes": 0}), tmp_path / "bulk.parquet")
    if case.name in QUOTE_CASES:
        (defect,) = [r for r in by_row[2] if r["_defect"]]
        line = defect["_source"].rsplit(":", 1)[1]
        assert (by_row[0], in_bulk[0], in_bulk[2]) == ("loaded", "quarantined", [])
        assert in_bulk[1].startswith(f"line {line}: bad quoting")
        return
    assert in_bulk[0] == by_row[0]
    if case.name in DIFFERENT_WORDS:
        assert in_bulk[1].split(":")[0] == by_row[1].split(":")[0]  # "line N" or the kind
    else:
        assert in_bulk[1] == by_row[1]
    assert as_read(in_bulk[2]) == as_read(by_row[2])


def test_a_slice_of_small_and_big_files_lands_every_row_once(tmp_path: Path):
    header = "Mã thửa đất,Mã đơn vị,Nhóm dữ liệu,Số định danh chủ sử dụng,Đã xác thực chủ sử dụng,"
    header += "Đã quét GCN,Đã nhập CSDL đất đai,Ngày cập nhật\n"
    for name, rows in (("a-small.csv", 3), ("b-big.csv", 2_000), ("c-small.csv", 2)):
        lines = [f"TD-{name[0]}-{i},26080,1,,1,0,1,05/10/2026\n" for i in range(rows)]
        (tmp_path / name).write_text(header + "".join(lines), encoding="utf-8")
    spec = FileDropSource(
        kind="file_drop", root_env="UNUSED_ROOT", simulator_province="x", path="*.csv",
        format="csv", bulk_min_bytes=10_000,
    )  # fmt: skip
    target = tmp_path / "landing" / "b.parquet"
    landed = land_drop(tmp_path, spec, target)
    rows = numbered_rows(target)
    assert landed.rows == len(rows) == 2_005
    assert [r["_row"] for r in rows] == list(range(1, 2_006))
    refs = {r["MaThuaDat"]: r["_source"] for r in rows}
    assert refs["TD-a-2"] == "a-small.csv:4" and refs["TD-c-0"] == "c-small.csv:2"
    assert refs["TD-b-0"] == "b-big.csv:2" and refs["TD-b-1999"] == "b-big.csv:2001"
    assert {r["NgayCapNhat"] for r in rows} == {datetime(2026, 10, 5)}  # typed once, on landing
    assert not list(target.parent.glob("*.part*"))  # the parts are gone


def test_bulk_refuses_a_parquet_file_over_the_limit(corpus, tmp_path: Path):  # noqa: F811
    folder, cases = corpus
    root = tmp_path / "drop"
    root.mkdir()
    (root / "good.parquet").write_bytes((folder / "good.parquet" / "good.parquet").read_bytes())
    limits = {"bulk_min_bytes": 0, "max_bytes": 100}
    spec = spec_for(cases["good.parquet"]).model_copy(update=limits)
    status, reason, rows = pulled(root, spec, tmp_path / "bulk.parquet")
    assert (status, rows) == ("quarantined", [])
    assert reason.endswith("bytes, over the source's limit of 100")


def test_a_64_mib_csv_with_a_5_mb_field_quarantines_that_row(tmp_path: Path):
    """Issue 16: this crashed the pull ('NoneType' object has no attribute 'replace')."""
    header = ";".join(HEADER) + "\r\n"
    row = "TD-26080-{:07d};26080;1;;1;0;1;05/10/2026;Phường Trấn Biên\r\n"
    big = row.format(1).replace("Phường Trấn Biên", "x" * 5_000_000)
    with (tmp_path / "big.csv").open("w", encoding="utf-8") as out:
        out.write(header + row.format(0) + big)
        for i in range(2, 1_000_000):
            out.write(row.format(i))
    assert (tmp_path / "big.csv").stat().st_size >= 64 * 2**20  # the default bulk_min_bytes
    spec = spec_for(CASES[0]).model_copy(update={"path": "big.csv", "encoding": "utf-8"})
    status, reason, rows = pulled(tmp_path, spec, tmp_path / "b.parquet")
    defects = [(r["_source"], r["_defect"]) for r in rows if r["_defect"]]
    assert (status, reason, len(rows)) == ("loaded", "", 1_000_000)
    assert defects == [("big.csv:3", "a field over 128 KiB (a line over 2000000 bytes)")]


def test_a_reader_failure_nobody_foresaw_quarantines_the_file_by_name(tmp_path, monkeypatch):
    """Never a raw exception (and the bytes it quotes) in the pull, the ledger or Slack."""
    import tasks.sources.file_drop as file_drop

    def broken(*_args, **_kwargs):
        raise AttributeError("'NoneType' object has no attribute 'replace': 042179168834")

    monkeypatch.setattr(file_drop, "land_bulk_file", broken)
    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    spec = spec_for(CASES[0]).model_copy(update={"path": "a.csv", "bulk_min_bytes": 0})
    status, reason, _ = pulled(tmp_path, spec, tmp_path / "b.parquet")
    assert status == "quarantined"
    assert reason.startswith("the reader failed (AttributeError)") and "0421" not in reason
