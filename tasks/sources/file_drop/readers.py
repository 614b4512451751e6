"""Read CSV, XLSX and Parquet drops row by row, with file and line for every row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq

from tasks.sources.file_drop.archive import archive_problem
from tasks.sources.file_drop.cells import FileRejected, Row, header_map, to_row
from tasks.sources.file_drop.csv_records import csv_records
from tasks.sources.file_drop.encodings import DecodeFailure, decode_text
from tasks.sources.specs import FileDropSource

_ZIP_MAGIC = b"PK\x03\x04"


def check_size(size: int, source: FileDropSource) -> None:
    """Refuse an empty file and one over the source's limit (every reader, bulk too)."""
    if size == 0:
        raise FileRejected("empty file (0 bytes)")
    if size > source.max_bytes:
        raise FileRejected(f"{size} bytes, over the source's limit of {source.max_bytes}")


def csv_text(data: bytes, encoding: str) -> str:
    """The CSV bytes as NFC text; FileRejected for an archive, binary data, a wrong encoding.

    A NUL byte is not refused here: it breaks one row, which to_row quarantines."""
    if data.startswith(_ZIP_MAGIC):
        raise FileRejected("a ZIP archive, not a CSV file: archives are not unpacked")
    try:
        text = decode_text(data, encoding)
    except DecodeFailure as exc:
        raise FileRejected(str(exc)) from exc
    return text


def read_rows(
    path: Path, name: str, source: FileDropSource, columns: dict[str, str],
    date_fields: frozenset[str] = frozenset(),
) -> Iterator[Row]:  # fmt: skip
    """Every data row of the file; FileRejected when the file as a whole is unusable."""
    check_size(path.stat().st_size, source)
    if source.format == "xlsx":  # only a workbook carries serial dates
        yield from _xlsx_rows(path, name, source, columns, date_fields)
        return
    reader = {"csv": _csv_rows, "parquet": _parquet_rows}[source.format]
    yield from reader(path, name, source, columns)


def _csv_rows(
    path: Path, name: str, source: FileDropSource, columns: dict[str, str]
) -> Iterator[Row]:
    records = csv_records(csv_text(path.read_bytes(), source.encoding), source)
    line, header, defect = next(records, (1, None, None))
    if defect is not None:  # without a header no row can be read: the file's fault
        raise FileRejected(f"line {line}: header: {defect}")
    if header is None or not any(header):
        raise FileRejected("no header line")
    fields, count = header_map(columns, source.ignore_columns, header), 0
    for line, cells, defect in records:
        if defect is not None:
            count += 1
            yield Row(f"{name}:{line}", {}, defect)
        elif cells:
            count += 1
            yield to_row(f"{name}:{line}", cells, fields)
    if count == 0:
        raise FileRejected("a header but no data rows")


def _xlsx_rows(
    path: Path, name: str, source: FileDropSource, columns: dict[str, str],
    date_fields: frozenset[str],
) -> Iterator[Row]:  # fmt: skip
    if (problem := archive_problem(path)) is not None:
        raise FileRejected(problem)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise FileRejected(f"not a readable XLSX workbook: {type(exc).__name__}") from exc
    try:
        if source.sheet is not None and source.sheet not in book.sheetnames:
            raise FileRejected(f"no sheet {source.sheet!r} (sheets: {', '.join(book.sheetnames)})")
        sheet = book[source.sheet] if source.sheet else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = _trim(next(rows, ()) or ())
        if not header:
            raise FileRejected(f"sheet {sheet.title!r}: no header row")
        fields, count = header_map(columns, source.ignore_columns, header), 0
        for number, cells in enumerate(rows, start=2):
            cells = _trim(cells)
            if cells:
                count += 1
                cells = cells + (None,) * max(0, len(fields) - len(cells))
                ref = f"{name}:{sheet.title}!{number}"
                yield to_row(ref, cells, fields, date_fields, book.epoch)
        if count == 0:
            raise FileRejected(f"sheet {sheet.title!r}: a header but no data rows")
    finally:
        book.close()


def _trim(cells: tuple) -> tuple:
    """Drop trailing empty cells (Excel pads rows to the sheet's widest row)."""
    end = len(cells)
    while end and (cells[end - 1] is None or str(cells[end - 1]).strip() == ""):
        end -= 1
    return tuple(cells[:end])


def _parquet_rows(
    path: Path, name: str, source: FileDropSource, columns: dict[str, str]
) -> Iterator[Row]:
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        raise FileRejected(f"not a readable Parquet file: {type(exc).__name__}") from exc
    fields, number = header_map(columns, source.ignore_columns, parquet.schema_arrow.names), 0
    for batch in parquet.iter_batches(batch_size=10_000):
        for record in batch.to_pylist():
            number += 1
            yield to_row(f"{name}:row {number}", list(record.values()), fields)
    if number == 0:
        raise FileRejected("no data rows")
