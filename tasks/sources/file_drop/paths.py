"""Keep file drops inside their root: no '..', no absolute paths, no NUL, no symlinks.

A drop folder is written by people and other systems; a path or link that
leads outside it must never make plan06 read (and load, and publish) some
other file on the machine.
"""

from __future__ import annotations

import re
from pathlib import Path

from tasks.sources.http_api.errors import PermanentSourceError


class UnsafePathError(PermanentSourceError):
    """A path that would leave the drop root."""


def check_pattern(pattern: str) -> str:
    """The glob itself: relative, no '..', no NUL (the plan check says the same)."""
    if "\0" in pattern:
        raise UnsafePathError(f"path {pattern!r}: contains a NUL byte")
    if pattern.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", pattern):
        raise UnsafePathError(
            f"path {pattern!r}: absolute paths are refused; use one under the root"
        )
    if ".." in re.split(r"[\\/]", pattern):
        raise UnsafePathError(f"path {pattern!r}: '..' would leave the drop root")
    return pattern


def unsafe_reason(root: Path, path: Path) -> str | None:
    """Why `path` (found under `root`) may not be read, or None if it may."""
    relative = path.relative_to(root)
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return f"{current.relative_to(root)} is a symbolic link: only plain files are read"
    if not path.resolve(strict=True).is_relative_to(root):
        return "resolves outside the drop root"
    if not path.is_file():
        return "not a regular file"
    return None


def matching_files(root: Path, pattern: str) -> list[Path]:
    """Files under the (real) root matching the glob, sorted; symlinked ones included
    so that the caller can quarantine them with their reason."""
    check_pattern(pattern)
    if not root.is_dir():
        raise PermanentSourceError(f"drop root {root} does not exist or is not a folder")
    real_root = root.resolve(strict=True)
    return sorted(p for p in real_root.glob(pattern) if p.is_symlink() or p.is_file())
