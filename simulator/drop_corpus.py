"""A corpus of bad (and awkward but good) file drops, with what must happen to each.

`build_corpus(folder)` writes every case into its own drop root and returns
the cases: name, defect, the source settings it is read with, and the
expected outcome: `loaded`, `row` (the file loads, one row carries a defect
with file:line), `file` (the whole file is quarantined with a reason) or
`failed` (the pull stops with a message). `reason` is a piece of the message.
"""

from __future__ import annotations

import io
import random
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from simulator.datasets import generate_records
from simulator.drops import LAND_COLUMNS, UNIT_NAME, csv_bytes, land_rows, write_xlsx
from simulator.generator import _units
from simulator.legacy_text import tcvn3_bytes, vni_bytes

HEADER = [*LAND_COLUMNS, UNIT_NAME]


@dataclass(frozen=True)
class Case:
    name: str  # file name (or the glob, for path cases)
    defect: str
    expected: str  # loaded | row | file | failed
    reason: str = ""
    spec: dict[str, Any] = field(default_factory=dict)  # source settings besides the defaults
    pattern: str | None = None  # the glob, when not the file name


def sample_rows(count: int = 3) -> list[list[Any]]:
    """Clean land-parcel rows of Đồng Nai, October 2026, in file order."""
    names = {u.unit_code: u.name for u in _units()}
    records = generate_records("land_parcels", "dong-nai", "2026-10")
    clean = [r for r in records if r["MaThuaDat"] and r["MaDonVi"] in names]
    return land_rows(clean[:count], names)


def _text(rows: list[list[Any]], delimiter: str = ";", header: list[str] = HEADER) -> str:
    return csv_bytes(header, rows, "utf-8", delimiter).decode()


def _xlsx_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 2**20))
    return out.getvalue()


def _open_quote(data: bytes) -> bytes:
    """A quote opened at the start of line 3's second field and never closed."""
    lines = data.split(b"\r\n")
    first, rest = lines[2].split(b";", 1)
    lines[2] = first + b';"' + rest
    return b"\r\n".join(lines)


def _parquet(rows: list[list[Any]], header: list[str]) -> bytes:
    table = pa.table({h: [str(r[i]) for r in rows] for i, h in enumerate(header)})
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def _cases(rows: list[list[Any]]) -> list[tuple[Case, Callable[[Path], None]]]:
    text, u8 = _text(rows), {"encoding": "utf-8"}
    ragged = [*rows[:1], [*rows[1], "thừa"], rows[2]]
    short = [rows[0], rows[1][:5], rows[2]]
    dates = [rows[0], [*rows[1][:7], "2026-10-05", rows[1][8]], rows[2]]
    old = [rows[0], [*rows[1][:7], "05/10/1899", rows[1][8]], rows[2]]
    ambiguous = [[*rows[0][:7], "05/10/2026", rows[0][8]], *rows[1:]]
    nfd = unicodedata.normalize("NFD", text)
    # the first row's cells all distinct, as a real citizen's row: it is read as the header
    headless = [[*rows[0][:4], "1", "0", "", *rows[0][7:]], *rows[1:]]
    cols = list(LAND_COLUMNS)

    def put(data: bytes) -> Callable[[Path], None]:
        return lambda p: p.write_bytes(data)

    def xlsx(
        cells: list[list[Any]], header: list[str] = HEADER, **kw: Any
    ) -> Callable[[Path], None]:
        return lambda p: write_xlsx(p, header, cells, **kw) and None

    serial = [[*r[:7], 46300 + i, r[8]] for i, r in enumerate(rows)]  # 2026-10-05.. (1900 system)
    return [
        (
            Case("utf8-bom.csv", "UTF-8 with BOM", "loaded", spec=u8),
            put(b"\xef\xbb\xbf" + text.encode()),
        ),
        (Case("utf8.csv", "UTF-8 without BOM", "loaded", spec=u8), put(text.encode())),
        (
            Case(
                "unicode-text.txt",
                "Excel 'Unicode Text': UTF-16LE, BOM, tabs",
                "loaded",
                spec={"encoding": "utf-16", "delimiter": "\t"},
            ),
            put(_text(rows, "\t").encode("utf-16")),
        ),
        (
            Case("cp1258.csv", "CP1258, combining tone marks", "loaded"),
            put(csv_bytes(HEADER, rows)),
        ),
        (Case("nfd.csv", "NFD text and headers", "loaded", spec=u8), put(nfd.encode())),
        (
            Case("tcvn3.csv", "legacy TCVN3 text read as CP1258", "file", "TCVN3"),
            put(tcvn3_bytes(text)),
        ),
        (Case("vni.csv", "legacy VNI text read as CP1258", "file", "VNI"), put(vni_bytes(text))),
        (
            Case("tcvn3-as-utf8.csv", "TCVN3 bytes declared UTF-8", "file", "TCVN3", spec=u8),
            put(tcvn3_bytes(text)),
        ),
        (
            Case("cp1258-as-utf8.csv", "CP1258 declared UTF-8", "file", "not valid utf-8", spec=u8),
            put(csv_bytes(HEADER, rows)),
        ),
        (
            Case(
                "utf16-as-utf8.csv", "UTF-16 declared UTF-8", "file", "looks like UTF-16", spec=u8
            ),
            put(text.encode("utf-16")),
        ),
        (Case("empty.csv", "empty file (0 bytes)", "file", "empty file"), put(b"")),
        (
            Case("header-only.csv", "header but no rows", "file", "no data rows"),
            put(csv_bytes(HEADER, [])),
        ),
        (
            Case(
                "missing-column.csv", "a column missing", "file", "missing column(s): Đã quét GCN"
            ),
            put(
                csv_bytes([h for h in HEADER if h != "Đã quét GCN"], [r[:5] + r[6:] for r in rows])
            ),
        ),
        (
            Case(
                "extra-column.csv",
                "an unexpected column",
                "file",
                "unexpected column(s): column 10 ('G** c**')",
            ),
            put(csv_bytes([*HEADER, "Ghi chú"], [[*r, "x"] for r in rows])),
        ),
        (
            Case("duplicate-header.csv", "a header repeated", "file", "repeated"),
            put(csv_bytes([*HEADER[:-1], HEADER[0]], rows)),
        ),
        (
            Case(
                "ragged-long.csv",
                "a row with an extra field",
                "row",
                "10 fields where the header has 9",
            ),
            put(csv_bytes(HEADER, ragged)),
        ),
        (
            Case(
                "ragged-short.csv",
                "a row with fields missing",
                "row",
                "5 fields where the header has 9",
            ),
            put(csv_bytes(HEADER, short)),
        ),
        (
            # row-level faults (issue 16): the row is quarantined, the others land
            Case("bad-quote.csv", "text after a closing quote", "row", "text after a closing"),
            put(csv_bytes(HEADER, rows).replace(b";1;", b';"1"x;', 1)),
        ),
        (
            Case(
                "unterminated-quote.csv",
                "a quote opened on line 3, never closed, two lines before the end",
                "row",
                "unterminated-quote.csv:3: bad quoting: a quote opened on this line",
            ),
            put(_open_quote(csv_bytes(HEADER, rows))),
        ),
        (
            Case("nul-byte.csv", "a NUL byte in a line", "row", "MaThuaDat: a NUL byte"),
            put(csv_bytes(HEADER, rows).replace(b"TD-", b"T\0D-", 1)),
        ),
        (
            Case(
                "oversize-field.csv",
                "a 200 KiB cell in the 2nd row",
                "row",
                "oversize-field.csv:3: column 9: a field over 128 KiB",
            ),
            put(csv_bytes(HEADER, [rows[0], [*rows[1][:8], "x" * 200_000], rows[2]])),
        ),
        (
            Case("binary.csv", "random bytes named .csv", "file", "binary data, not a text file"),
            put(random.Random(16).randbytes(8192)),
        ),
        (
            Case(
                "no-header.csv",
                "the header row left out: line 1 is a citizen's row",
                "file",
                "is the header row missing?",
            ),
            put(csv_bytes(HEADER, headless)[len(csv_bytes(HEADER, [])) :]),
        ),
        (
            Case(
                "iso-date.csv",
                "ISO date where dd/mm/yyyy is pinned",
                "row",
                "not a date in the declared format",
            ),
            put(csv_bytes(HEADER, dates)),
        ),
        (
            Case("old-date.csv", "date before 1900", "row", "out of range"),
            put(csv_bytes(HEADER, old)),
        ),
        (
            Case("ambiguous-date.csv", "05/10/2026: day first, never flipped", "loaded"),
            put(csv_bytes(HEADER, ambiguous)),
        ),
        (
            Case("archive.csv", "a ZIP archive named .csv", "file", "ZIP archive"),
            put(_xlsx_bomb()[:4096]),
        ),
        (
            Case(
                "oversize.csv",
                "larger than the source's limit",
                "file",
                "over the source's limit",
                spec={"max_bytes": 100},
            ),
            put(csv_bytes(HEADER, rows)),
        ),
        (
            Case(
                "serial-1900.xlsx",
                "Excel serial dates, 1900 system",
                "loaded",
                spec={"format": "xlsx"},
            ),
            xlsx(serial),
        ),
        (
            Case(
                "epoch-1904.xlsx",
                "Excel dates in the 1904 system",
                "loaded",
                spec={"format": "xlsx"},
            ),
            xlsx([[*r[:7], 46300 - 1462 + i, r[8]] for i, r in enumerate(rows)], epoch_1904=True),
        ),
        (
            Case(
                "bomb.xlsx",
                "XLSX zip bomb (20 MB of zeros)",
                "file",
                "zip bomb",
                spec={"format": "xlsx"},
            ),
            put(_xlsx_bomb()),
        ),
        (
            Case(
                "not-zip.xlsx",
                "text named .xlsx",
                "file",
                "not a readable XLSX",
                spec={"format": "xlsx"},
            ),
            put(text.encode()),
        ),
        (
            Case(
                "no-sheet.xlsx",
                "the pinned sheet is missing",
                "file",
                "no sheet 'Data'",
                spec={"format": "xlsx", "sheet": "Data"},
            ),
            xlsx(serial),
        ),
        (
            Case(
                "ragged.xlsx",
                "a row wider than the header",
                "row",
                "fields where the header has",
                spec={"format": "xlsx"},
            ),
            xlsx([serial[0], [*serial[1], "thừa"], serial[2]]),
        ),
        (
            Case("good.parquet", "Parquet export", "loaded", spec={"format": "parquet"}),
            put(_parquet(rows, HEADER)),
        ),
        (
            Case(
                "corrupt.parquet",
                "truncated Parquet",
                "file",
                "not a readable Parquet",
                spec={"format": "parquet"},
            ),
            put(_parquet(rows, HEADER)[:200]),
        ),
        (
            Case(
                "missing-column.parquet",
                "Parquet without a column",
                "file",
                "missing column(s)",
                spec={"format": "parquet"},
            ),
            put(_parquet(rows, cols[:-1])),
        ),
    ]


def build_corpus(folder: Path) -> list[Case]:
    """Write each case under folder/<case name>/ (its drop root); returns the cases."""
    rows, cases = sample_rows(), []
    for case, write in _cases(rows):
        root = folder / case.name
        root.mkdir(parents=True, exist_ok=True)
        write(root / case.name)
        cases.append(case)
    return cases


def corpus_cases() -> list[Case]:
    """The cases without writing them (to name tests)."""
    return [case for case, _ in _cases(sample_rows())]
