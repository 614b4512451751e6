"""Turn one file row into the dataset's fields as text, per the dataset's column map.

Cells land as text, as an API's fields do; the dataset's declared formats and
value maps are applied once for both kinds of source (tasks/sources/canonical.py),
so "01/02/2026" is 1 February under dd/mm/yyyy, always, and never a guess.
A cell that is a real date in the file (an XLSX date cell, a Parquet
timestamp) lands as ISO 8601 text, which canonical.py always reads for files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl.utils.datetime import from_excel

MAX_FIELD_CHARS = 128 * 2**10  # a longer cell is a broken row (a quote gone astray), not data
OVERSIZE = "a field over 128 KiB"
NUL = "a NUL byte"


class FileRejected(ValueError):
    """The whole file cannot be loaded; the message is its quarantine reason."""


@dataclass(frozen=True)
class Row:
    ref: str  # "file:line"
    values: dict[str, str | None]
    defect: str | None = None


def mask(text: str, digits_only: bool = False) -> str:
    """A cell's shape, not its value: digits become '#', letters but each word's first
    '*' ("Nguyễn Văn An" -> "N***** V** A*"): a reason may say what is wrong, never who."""
    masked = re.sub(r"\d", "#", text[:40]) + ("…" if len(text) > 40 else "")
    return masked if digits_only else re.sub(r"(?<=\w)[^\W\d_]", "*", masked)


def header_map(
    columns: dict[str, str], ignore_columns: Sequence[str], header: Sequence[Any]
) -> list[str | None]:
    """Kind field of each file column (None = ignored); FileRejected on a mismatch.

    `columns` is file header -> kind field (the dataset's `columns`, turned round).
    Only the names the plan declares are quoted back: a cell the plan does not know
    may be data (a file without its header starts with a citizen's row), so it is
    named by its position and shown masked."""
    names = [unicodedata.normalize("NFC", str(h or "")).strip() for h in header]
    expected = {unicodedata.normalize("NFC", k): v for k, v in columns.items()}
    ignored = {unicodedata.normalize("NFC", c) for c in ignore_columns}
    duplicates = sorted({n for n in names if names.count(n) > 1})
    missing = [c for c in expected if c not in names]
    extra = [(i, n) for i, n in enumerate(names, 1) if n not in expected and n not in ignored]
    if expected and len(missing) == len(expected):
        raise FileRejected(
            f"header: none of the expected columns in line 1 ({len(names)} cells, not shown):"
            f" is the header row missing? (expected: {', '.join(expected)})"
        )
    if duplicates:
        shown = [d if d in expected or d in ignored else mask(d) for d in duplicates]
        raise FileRejected(f"header: column(s) repeated: {', '.join(shown)}")
    if missing or extra:
        parts = [f"missing column(s): {', '.join(missing)}"] if missing else []
        listed = ", ".join(f"column {i} ({mask(n)!r})" for i, n in extra)
        parts += [f"unexpected column(s): {listed}"] if extra else []
        raise FileRejected(f"header: {'; '.join(parts)} (expected: {', '.join(expected)})")
    return [expected.get(n) for n in names]


def cell_defect(column: str, cell: Any) -> str | None:
    """A cell no real export holds: over 128 KiB, or with a NUL byte (the row, not the file)."""
    if not isinstance(cell, str):
        return None
    if len(cell) > MAX_FIELD_CHARS:
        return f"{column}: {OVERSIZE}"
    return f"{column}: {NUL}" if "\0" in cell else None


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
    for number, (field, cell) in enumerate(zip(fields, cells, strict=True), 1):
        if (defect := cell_defect(field or f"column {number}", cell)) is not None:
            return Row(ref, {}, defect)
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
