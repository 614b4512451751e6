"""Landing and staging hold raw CCCDs: their files are 0600 in 0700 folders.

A folder is created 0700 and tightened when it exists looser (an older
install made them 0755); a file is set 0600 once it has its final name. The
folder is what protects a file while it is still being written (pyarrow and
DuckDB create theirs with the process umask), so the folder comes first. The
process umask is left alone: reports/ are served and stay readable.
"""

from __future__ import annotations

import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) 0700; tighten it if it exists looser."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != PRIVATE_DIR:
        path.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Make a written file readable and writable by its owner only."""
    path.chmod(PRIVATE_FILE)
    return path
