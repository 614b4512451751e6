"""A dropped file's identity in ops.file_ledger: its content as read, where the format allows.

An XLSX file is a ZIP whose bytes change at every save (timestamps in the
archive and in docProps), so the same cells re-saved, or re-exported, looked
like a new version and the slice was reloaded (issue 16: 38 ledger entries
where 15 were real). A workbook is therefore known by a SHA-256 of its cells
as openpyxl reads them (every sheet, in order, with the workbook's date epoch);
CSV and Parquet by their bytes' SHA-256, which for a text export is its content.
The ledger column keeps its name, sha256: it is a SHA-256 either way.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import openpyxl

from tasks.sources.file_drop.archive import archive_problem


def file_sha256(path: Path) -> str:
    """The file's SHA-256, hashed once per version (a 2.8 GB drop takes about 4 s)."""
    stat = path.stat()
    return _sha256(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=256)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    # size and mtime are the key: the pull asks first, the landing again
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_identity(path: Path, file_format: str) -> str:
    """What the ledger knows the file by: its cells for XLSX, else its bytes."""
    if file_format != "xlsx":
        return file_sha256(path)
    stat = path.stat()
    return _xlsx_identity(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=256)
def _xlsx_identity(path: str, size: int, mtime_ns: int) -> str:
    if archive_problem(Path(path)) is not None:  # never unpack a bomb to hash it
        return _sha256(path, size, mtime_ns)
    try:
        return workbook_cells_sha256(Path(path))
    except Exception:  # unreadable: the reader refuses it; its bytes identify it
        return _sha256(path, size, mtime_ns)


def workbook_cells_sha256(path: Path) -> str:
    """SHA-256 of every sheet's title and cell values, in order, and the date epoch."""
    digest = hashlib.sha256()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        digest.update(repr(book.epoch).encode())
        for sheet in book.worksheets:
            digest.update(b"\x00sheet\x00" + sheet.title.encode())
            for row in sheet.iter_rows(values_only=True):
                digest.update(repr(row).encode() + b"\n")
    finally:
        book.close()
    return digest.hexdigest()
