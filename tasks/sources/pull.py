"""Pull one dataset of a plan from whatever kind of source the plan names."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from tasks.plans import DatasetSpec, PlanSpec
from tasks.settings import duckdb_config
from tasks.sources.file_drop import pull_file_drop, resolve_drop
from tasks.sources.http_api import Landed, pull_to_landing, resolve_request
from tasks.sources.specs import FileDropSource, HttpApiSource
from tasks.sources.state import known_files, landed_watermark, read_watermark


def source_memory(
    con: duckdb.DuckDBPyConnection, plan: PlanSpec, dataset: DatasetSpec, period: str
) -> dict:
    """What the warehouse remembers of this slice: its watermark, or its known files."""
    source = plan.sources[dataset.source]
    if isinstance(source, FileDropSource):
        return {"files": known_files(con, plan.id, dataset.id)}
    if source.updated_field is not None:
        return {"watermark": read_watermark(con, plan.id, dataset.id, period)}
    return {}


def pull_source(
    plan: PlanSpec, dataset: DatasetSpec, period: str, target: Path,
    fields: Sequence[str], memory: dict,
) -> tuple[Landed, bool]:  # fmt: skip
    """(landed batch, is_simulator) for the dataset's source kind."""
    source = plan.sources[dataset.source]
    label = f"{plan.id}/{dataset.id}"
    if isinstance(source, FileDropSource):
        root, _, simulated = resolve_drop(plan, dataset)
        landed = pull_file_drop(root, source, label, period, target, fields, memory["files"])
        return landed, simulated
    assert isinstance(source, HttpApiSource)
    since = memory.get("watermark")
    request, simulated = resolve_request(plan, dataset, period, updated_since=since)
    landed = pull_to_landing(request, target, fields, source.timeout_s)
    if source.updated_field is None:
        return landed, simulated
    return _incremental(landed, source.updated_field, since), simulated


def _incremental(landed: Landed, field: str, since: str | None) -> Landed:
    """A pull since a watermark upserts its rows only; an empty one loads nothing."""
    with duckdb.connect(config=duckdb_config()) as con:
        mark = landed_watermark(con, str(landed.path), field)
    state = {"watermark": max(filter(None, (mark, since)), default=None)}
    if since is None:
        return Landed(landed.path, landed.rows, landed.reported_total, landed.url_path,
                      source_state=state)  # fmt: skip
    return Landed(
        landed.path, landed.rows, landed.reported_total, landed.url_path, replace_slice=False,
        skipped=None if landed.rows else f"no change since {since}", source_state=state,
    )  # fmt: skip
