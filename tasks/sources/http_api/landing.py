"""Land an API pull as one Parquet file: the raw layer of a batch.

Rows are written page by page (one row group each), so memory stays flat
whatever the size; the file appears under its final name only when the last
page has arrived, so a failed pull leaves nothing that looks complete.
Fields are landed as text, exactly as delivered: typing and checks happen in
staging, where a bad value can be quarantined with its reason instead of
failing the batch. Only the fields the dataset kind lists are landed: the
applicant's name is not among them (data minimisation); a citizen ID is, and
staging pseudonymises it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.sources.http_api.errors import PermanentSourceError


def landed_schema(fields: Sequence[str]) -> pa.Schema:
    """Row position, page, then every field of the dataset kind as text."""
    return pa.schema(
        [pa.field("_row", pa.int64()), pa.field("_page", pa.int32())]
        + [pa.field(name, pa.string()) for name in fields]
    )


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def page_table(
    records: list[dict], schema: pa.Schema, page: int, first_row: int, where: str
) -> pa.Table:
    """One page as an Arrow table of text columns; a non-object row fails the page."""
    fields = schema.names[2:]
    columns: dict[str, list] = {name: [] for name in fields}
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise PermanentSourceError(f"{where}: page {page} row {i + 1} is not an object")
        for name in fields:
            columns[name].append(_as_text(record.get(name)))
    rows = list(range(first_row, first_row + len(records)))
    arrays = [pa.array(rows, pa.int64()), pa.array([page] * len(records), pa.int32())]
    arrays += [pa.array(columns[name], pa.string()) for name in fields]
    return pa.Table.from_arrays(arrays, schema=schema)


def land_pages(
    pages: Iterable[dict], target: Path, where: str, fields: Sequence[str]
) -> tuple[int, int | None]:
    """Write every page to `target`; returns (rows landed, total the API reported)."""
    schema = landed_schema(fields)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".parquet.part")
    rows, reported_total = 0, None
    try:
        with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
            for body in pages:
                page = int(body.get("page") or 0)
                reported_total = body.get("total", reported_total)
                table = page_table(body["data"], schema, page, rows + 1, where)
                writer.write_table(table)
                rows += table.num_rows
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return rows, reported_total
