"""Turn one file row into the dataset's fields as text, per the dataset's column map.

Cells land as text, as an API's fields do; the dataset's declared formats and
value maps are applied once for both kinds of source (tasks/sources/canonical.py),
so "01/02/2026" is 1 February under dd/mm/yyyy, always, and never a guess.
A cell that is a real date in the file (an XLSX date cell, a Parquet
timestamp) lands as ISO 8601 text, which canonical.py always reads for files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl.utils.datetime import from_excel


class FileRejected(ValueError):
    """The whole file cannot be loaded; the message is its quarantine reason."""


@dataclass(frozen=True)
class Row:
    ref: str  # "file:line"
    values: dict[str, str | None]
    defect: str | None = None


def header_map(
    columns: dict[str, str], ignore_columns: Sequence[str], header: Sequence[Any]
) -> list[str | None]:
    """Kind field of each file column (None = ignored); FileRejected on a mismatch.

    `columns` is file header -> kind field (the dataset's `columns`, turned round).
    """
    names = [unicodedata.normalize("NFC", str(h or "")).strip() for h in header]
    expected = {unicodedata.normalize("NFC", k): v for k, v in columns.items()}
    ignored = {unicodedata.normalize("NFC", c) for c in ignore_columns}
    duplicates = sorted({n for n in names if names.count(n) > 1})
    missing = [c for c in expected if c not in names]
    extra = [n for n in names if n not in expected and n not in ignored]
    if duplicates:
        raise FileRejected(f"header: column(s) repeated: {', '.join(duplicates)}")
    if missing or extra:
        parts = [f"missing column(s): {', '.join(missing)}"] if missing else []
        parts += [f"unexpected column(s): {', '.join(extra)}"] if extra else []
        raise FileRejected(f"header: {'; '.join(parts)} (expected: {', '.join(expected)})")
    return [expected.get(n) for n in names]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def to_row(
    ref: str, cells: Sequence[Any], fields: list[str | None],
    serial_dates: frozenset[str] = frozenset(), epoch: datetime | None = None,
) -> Row:  # fmt: skip
    """One row's fields as text; a wrong cell count is a row defect.

    A number in a date field of a workbook (`serial_dates`) is an Excel serial
    date in that workbook's own epoch (1900 or 1904): it lands as ISO text."""
    if len(cells) != len(fields):
        return Row(ref, {}, f"{len(cells)} fields where the header has {len(fields)}")
    values = {}
    for field, cell in zip(fields, cells, strict=True):
        if field in serial_dates and isinstance(cell, int | float) and epoch is not None:
            try:
                cell = from_excel(cell, epoch)
            except (ValueError, OverflowError):
                return Row(ref, {}, f"{field}: not an Excel date serial")
        if field:
            values[field] = _text(cell)
    return Row(ref, values)
