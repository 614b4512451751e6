"""Refuse zip and XLSX bombs before anything unpacks them.

An XLSX file is a ZIP archive of XML parts. A few kilobytes can expand to
gigabytes; the central directory states each member's sizes, so the archive
is judged from it, before openpyxl reads a byte of XML.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_MEMBERS = 10_000
MAX_RATIO = 100  # uncompressed : compressed, per member (reliability.md)
MAX_UNCOMPRESSED = 512 * 2**20
_SMALL = 64 * 2**10  # tiny parts compress extremely well and are harmless


def archive_problem(path: Path) -> str | None:
    """Why the archive must not be opened, or None if it looks sane."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        return f"not a readable XLSX (ZIP) file: {exc}"
    if len(members) > MAX_MEMBERS:
        return f"{len(members)} parts in the archive (over {MAX_MEMBERS}): refused as a zip bomb"
    total = 0
    for member in members:
        name = member.filename
        if name.startswith("/") or ".." in name.split("/"):
            return f"archive part {name!r} points outside the archive: refused"
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _SMALL and ratio > MAX_RATIO:
            return (
                f"archive part {name!r} expands {ratio:.0f}:1 (over {MAX_RATIO}:1): "
                "refused as a zip bomb"
            )
    if total > MAX_UNCOMPRESSED:
        return f"archive expands to {total} bytes (over {MAX_UNCOMPRESSED}): refused as a zip bomb"
    return None
