"""Split CSV text into records so that one broken record costs one row, not the file.

Python's csv module stops at the first error: a quote never closed swallows
every line up to the end of the file and is reported there ("line 21" for a
quote opened on line 8). Here a broken record is reported at the line where it
begins, and reading resumes on the next line, so the rows after it still land.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice

from tasks.sources.specs import FileDropSource

# Cells over 128 KiB are quarantined by to_row with their column; the module's
# own limit (the same 128 KiB) would instead stop the whole file.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))

_WORDS = {
    "unexpected end of data": "a quote opened on this line is never closed",
    "expected after": "text after a closing quote",
}


def _defect(error: csv.Error) -> str:
    message = str(error)
    words = next((w for k, w in _WORDS.items() if k in message), message)
    return f"bad quoting: {words}"


def csv_records(
    text: str, source: FileDropSource
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(line, cells, None) per record, line = its last line as before; for a broken
    record (line where it begins, None, defect), then on from the line after that."""
    lines = io.StringIO(text, newline="").readlines()
    start = 0
    while start < len(lines):
        reader = csv.reader(islice(lines, start, None), delimiter=source.delimiter,
                            quotechar=source.quotechar, strict=True)  # fmt: skip
        while True:
            begun = reader.line_num
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                start += begun + 1  # the broken record's first line, 1-based
                yield start, None, _defect(exc)
                break
            yield start + reader.line_num, cells, None
