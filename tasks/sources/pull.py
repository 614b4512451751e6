"""Pull one dataset of a plan from whatever kind of source the plan names.

Both kinds land the kind's fields as text first (`<batch>.raw.parquet`), then
tasks/sources/canonical.py writes the canonical typed landing file the rest
of the run reads; the text copy is removed once the typed one exists.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb

from tasks.datasets import dataset_kind
from tasks.plans import DatasetSpec, PlanSpec
from tasks.settings import duckdb_config
from tasks.sources.canonical import Canon, canonicalise
from tasks.sources.file_drop import pull_file_drop, resolve_drop
from tasks.sources.http_api import Landed, pull_to_landing, resolve_request
from tasks.sources.http_api.landing import RecordMapper
from tasks.sources.specs import FileDropSource, HttpApiSource
from tasks.sources.state import known_files, read_watermark


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
    plan: PlanSpec, dataset: DatasetSpec, period: str, target: Path, memory: dict
) -> tuple[Landed, bool]:
    """(landed batch, is_simulator) for the dataset's source kind."""
    source, kind = plan.sources[dataset.source], dataset_kind(dataset.kind_id)
    label, fields = f"{plan.id}/{dataset.id}", kind.field_names
    raw = target.with_suffix(".raw.parquet")
    sources = dataset.source_names(kind)
    if isinstance(source, FileDropSource):
        root, _, simulated = resolve_drop(plan, dataset)
        headers = {header: field for field, header in sources.items()}
        stamps = frozenset(f.name for f in kind.of_type("timestamp"))
        landed = pull_file_drop(root, source, label, period, raw, headers, fields,
                                memory["files"], stamps)  # fmt: skip
    else:
        assert isinstance(source, HttpApiSource)
        request, simulated = resolve_request(plan, dataset, period, memory.get("watermark"))
        mapper = RecordMapper(label, sources, frozenset(dataset.ignore_fields))
        landed = pull_to_landing(request, raw, mapper, fields, source.timeout_s)
    if landed.skipped:
        return replace(landed, path=target), simulated
    try:
        # XLSX date cells and Parquet timestamps arrive typed (as ISO text); CSV never does
        typed_cells = isinstance(source, FileDropSource) and source.format != "csv"
        canonicalise(Canon(label, kind, dataset, typed_cells), raw, target)
        landed = replace(landed, path=target)
        if isinstance(source, HttpApiSource) and source.updated_field is not None:
            landed = _incremental(landed, raw, source.updated_field, memory.get("watermark"))
    finally:
        raw.unlink(missing_ok=True)
    return landed, simulated


WATERMARK_SQL = """
SELECT arg_max(r.{f}, t.{f}) FROM read_parquet(?) AS r POSITIONAL JOIN read_parquet(?) AS t
"""


def _incremental(landed: Landed, raw: Path, field: str, since: str | None) -> Landed:
    """A pull since a watermark upserts its rows only; an empty one loads nothing.

    The watermark is the source's own spelling of the latest update stamp (it
    goes back to the API as {updated_since}), taken where the typed stamp is
    greatest."""
    if not field.isidentifier():
        raise ValueError(f"updated_field {field!r} must be a plain field name")
    with duckdb.connect(config=duckdb_config()) as con:
        (mark,) = con.execute(WATERMARK_SQL.format(f=f'"{field}"'),
                              [str(raw), str(landed.path)]).fetchone()  # fmt: skip
    state = {"watermark": mark or since}
    if since is None:
        return replace(landed, source_state=state)
    skipped = None if landed.rows else f"no change since {since}"
    return replace(landed, replace_slice=False, skipped=skipped, source_state=state)
