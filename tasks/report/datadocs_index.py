"""datadocs/index.html: every batch's validation page, newest period first, from
the small JSON record written beside each page (batch, dataset, period, status)."""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from pathlib import Path


def write_index(folder: Path) -> Path:
    """datadocs/index.html: every validation page, newest period first."""
    from tasks.report.html import environment

    pages = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")]
    pages.sort(key=lambda b: (b["period"], b["dataset"], b["batch_id"]), reverse=True)
    html = (
        environment()
        .get_template("datadocs_index.html.j2")
        .render(pages=pages, generated_at=datetime.now(), root="../")
    )
    return atomic(folder / "index.html", html)


def atomic(path: Path, text: str) -> Path:
    """Replace the file in one step; the partial file's name is unique, because
    runs validating at the same time all rewrite the one index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path
