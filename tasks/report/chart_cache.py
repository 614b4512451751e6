"""Charts already drawn are read back, not drawn again: a rerun's pages cost no plotting.

A chart's SVG depends on its inputs only (charts.py writes no date), and
matplotlib takes about half a second a chart (a plan's run draws seven: more
than the rest of a rerun). So each chart is kept under a SHA-256 of its name,
its inputs, the chart code and matplotlib's version; a change to any of them
draws it again. No library here caches by value across processes (lru_cache
lives as long as its process, and a Prefect worker runs each flow in a new
one). Entries unused for CACHE_DAYS are deleted when the reports are written.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec

import matplotlib

P = ParamSpec("P")
CACHE_DAYS = 14
_folder: Path | None = None  # set while reports are written (write_reports)


@functools.cache
def _code_digest() -> str:
    charts = Path(__file__).with_name("charts.py")
    return hashlib.sha256(charts.read_bytes() + matplotlib.__version__.encode()).hexdigest()


def cached(render: Callable[P, str]) -> Callable[P, str]:
    """`render`'s SVG for these inputs from the cache, drawn and kept when missing."""

    @functools.wraps(render)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        if _folder is None:
            return render(*args, **kwargs)
        inputs = repr((render.__name__, args, sorted(kwargs.items()), _code_digest()))
        path = _folder / f"{hashlib.sha256(inputs.encode()).hexdigest()}.svg"
        try:
            svg = path.read_text(encoding="utf-8")
            os.utime(path)  # in use: not purged
            return svg
        except FileNotFoundError:
            pass
        svg = render(*args, **kwargs)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(svg, encoding="utf-8")
        partial.replace(path)  # atomic: a concurrent run reads a whole chart or none
        return svg

    return wrapper


@contextmanager
def chart_cache(folder: Path) -> Iterator[None]:
    """Use (and tidy) the cache in `folder` for the charts drawn within the block."""
    global _folder
    folder.mkdir(parents=True, exist_ok=True)
    stale = time.time() - CACHE_DAYS * 86400
    for entry in folder.glob("*.svg"):
        if entry.stat().st_mtime < stale:
            entry.unlink(missing_ok=True)
    previous, _folder = _folder, folder
    try:
        yield
    finally:
        _folder = previous
