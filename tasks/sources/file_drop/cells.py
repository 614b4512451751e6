"""Turn one file row into the dataset's fields as text, per the pinned source spec.

Dates are read with the source's one format (dd/mm/yyyy by default) or, from
Excel, as real dates or serial numbers in the workbook's own epoch (1900 or
1904); they land as ISO yyyy-mm-dd. A value that does not fit is a defect of
that row, never a guess: "01/02/2026" is 1 February under dd/mm/yyyy, always.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl.utils.datetime import from_excel

from tasks.sources.specs import FileDropSource

EARLIEST_YEAR = 1900


class FileRejected(ValueError):
    """The whole file cannot be loaded; the message is its quarantine reason."""


@dataclass(frozen=True)
class Row:
    ref: str  # "file:line"
    values: dict[str, str | None]
    defect: str | None = None


def header_map(source: FileDropSource, header: Sequence[Any]) -> list[str | None]:
    """Dataset field of each file column (None = ignored); FileRejected on a mismatch."""
    names = [unicodedata.normalize("NFC", str(h or "")).strip() for h in header]
    expected = {unicodedata.normalize("NFC", k): v for k, v in source.columns.items()}
    ignored = {unicodedata.normalize("NFC", c) for c in source.ignore_columns}
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


def _date_text(value: Any, source: FileDropSource, epoch: datetime | None) -> str:
    if isinstance(value, datetime | date):
        day = value if isinstance(value, date) and not isinstance(value, datetime) else value.date()
    elif isinstance(value, int | float) and epoch is not None:
        day = from_excel(value, epoch).date()
    else:
        try:
            day = datetime.strptime(str(value).strip(), source.date_format).date()
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the form {source.date_format}") from None
    if not EARLIEST_YEAR <= day.year <= date.today().year + 1:
        raise ValueError(f"date {day.isoformat()} is out of range")
    return day.isoformat()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def to_row(
    ref: str, cells: Sequence[Any], fields: list[str | None], source: FileDropSource,
    epoch: datetime | None = None,
) -> Row:  # fmt: skip
    """One row's fields; a wrong cell count or an unreadable date is a row defect."""
    if len(cells) != len(fields):
        return Row(ref, {}, f"{len(cells)} fields where the header has {len(fields)}")
    values: dict[str, str | None] = {}
    for field, cell in zip(fields, cells, strict=True):
        if field is None:
            continue
        if field in source.date_columns and _text(cell) is not None:
            try:
                values[field] = _date_text(cell, source, epoch)
            except (ValueError, OverflowError) as exc:
                return Row(ref, {}, f"{field}: {exc}")
        else:
            values[field] = _text(cell)
    return Row(ref, values)
