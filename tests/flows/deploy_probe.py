"""A tiny flow for the work-pool tests: it records the X it saw and its folder."""

from __future__ import annotations

import os
from pathlib import Path

from prefect import flow


@flow(name="pool-probe")
def probe(marker: str) -> None:
    Path(marker).write_text(f"X={os.environ.get('X', '')} cwd={os.getcwd()}", encoding="utf-8")
