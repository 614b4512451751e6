"""The first rows of a drop's first file, keyed by its own headers (for `sources probe`).

No column map applies here: a probe is how the map is found. The file goes
through the same size, archive and encoding checks as a pull.
"""

from __future__ import annotations

import csv
import io
from itertools import islice
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq

from tasks.sources.file_drop.cells import FileRejected
from tasks.sources.file_drop.paths import matching_files
from tasks.sources.file_drop.readers import check_size, csv_text
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.specs import FileDropSource

SAMPLE_ROWS = 50


def _csv(path: Path, source: FileDropSource) -> list[dict]:
    text = csv_text(path.read_bytes(), source.encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=source.delimiter,
                            quotechar=source.quotechar)  # fmt: skip
    return [dict(row) for row in islice(reader, SAMPLE_ROWS)]


def _xlsx(path: Path, source: FileDropSource) -> list[dict]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[source.sheet] if source.sheet else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_row=SAMPLE_ROWS + 1)
        header = [str(h or "").strip() for h in next(rows, ())]
        return [dict(zip(header, row, strict=False)) for row in rows]
    finally:
        book.close()


def sample_rows(root: Path, source: FileDropSource, period: str) -> list[dict]:
    """Up to SAMPLE_ROWS rows of the first file of the period, as {header: cell}."""
    pattern = source.path.replace("{period}", period)
    files = matching_files(root, pattern)
    if not files:
        raise PermanentSourceError(f"no file matches {pattern!r} under {root}")
    path = files[0]
    try:
        check_size(path.stat().st_size, source)
        if source.format == "csv":
            return _csv(path, source)
        if source.format == "xlsx":
            return _xlsx(path, source)
        return pq.read_table(path).slice(0, SAMPLE_ROWS).to_pylist()
    except FileRejected as exc:
        raise PermanentSourceError(f"{path.name}: {exc}") from exc
