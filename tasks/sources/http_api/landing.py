"""Land an API pull as one Parquet file: the raw layer of a batch.

Rows are written a few pages at a time (row groups of ROW_GROUP_ROWS), so
memory stays flat whatever the size; the file appears under its final name
only when the last page has arrived, so a failed pull leaves nothing that
looks complete.
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

# Pages are written in row groups of about this many rows: one row group per
# page made the writer's footer metadata (kept in memory until close) grow with
# the pull, 45 MB per million rows measured; this bound keeps memory flat.
ROW_GROUP_ROWS = 50_000

# Before the kind's fields: row position, page (or file number), where the row
# came from in a file drop (file:line), and a defect found while reading it.
META_COLUMNS = ("_row", "_page", "_source", "_defect")


def landed_schema(fields: Sequence[str]) -> pa.Schema:
    """Row position, page, file reference and read defect, then every field as text."""
    return pa.schema(
        [pa.field("_row", pa.int64()), pa.field("_page", pa.int32())]
        + [pa.field("_source", pa.string()), pa.field("_defect", pa.string())]
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
    fields = schema.names[len(META_COLUMNS) :]
    columns: dict[str, list] = {name: [] for name in fields}
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise PermanentSourceError(f"{where}: page {page} row {i + 1} is not an object")
        for name in fields:
            columns[name].append(_as_text(record.get(name)))
    rows = list(range(first_row, first_row + len(records)))
    arrays = [pa.array(rows, pa.int64()), pa.array([page] * len(records), pa.int32())]
    arrays += [pa.nulls(len(records), pa.string()), pa.nulls(len(records), pa.string())]
    arrays += [pa.array(columns[name], pa.string()) for name in fields]
    return pa.Table.from_arrays(arrays, schema=schema)


def land_pages(
    pages: Iterable[dict], target: Path, where: str, fields: Sequence[str]
) -> tuple[int, int | None]:
    """Write every page to `target`; returns (rows landed, total the API reported)."""
    schema = landed_schema(fields)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".parquet.part")
    rows, reported_total, buffered = 0, None, []
    try:
        with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
            for body in pages:
                page = int(body.get("page") or 0)
                reported_total = body.get("total", reported_total)
                buffered.append(page_table(body["data"], schema, page, rows + 1, where))
                rows += buffered[-1].num_rows
                if sum(t.num_rows for t in buffered) >= ROW_GROUP_ROWS:
                    writer.write_table(pa.concat_tables(buffered))
                    buffered = []
            if buffered:
                writer.write_table(pa.concat_tables(buffered))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return rows, reported_total
