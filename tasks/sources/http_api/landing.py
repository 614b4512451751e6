"""Land an API pull as one Parquet file: the raw layer of a batch.

Rows are written a few pages at a time (row groups of ROW_GROUP_ROWS), so
memory stays flat whatever the size; the file appears under its final name
only when the last page has arrived, so a failed pull leaves nothing that
looks complete.
Each record is mapped onto the kind's fields (the dataset's `columns`: a
field name or JSONPath per kind field) and landed as text, exactly as
delivered; tasks/sources/canonical.py then types the file once. Only the
kind's fields are landed: the applicant's name is not among them (data
minimisation); a citizen ID is, and staging pseudonymises it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.private_files import private_dir, private_file
from tasks.sources.http_api.columns import page_table
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.http_api.pages import describe_keys
from tasks.sources.mapping import MappingError, record_getter, top_level

if TYPE_CHECKING:
    from tasks.sources.http_api.client import Page

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


@dataclass(frozen=True)
class RecordMapper:
    """Kind field <- source field or JSONPath, for one dataset (mapping.py)."""

    label: str  # plan/dataset
    sources: dict[str, str]  # kind field -> source path, mapped fields only
    ignored: frozenset[str] = frozenset()  # source fields deliberately not landed

    def getters(self) -> list[tuple[str, Callable[[dict], tuple[bool, Any]]]]:
        try:
            return [(f, record_getter(path)) for f, path in self.sources.items()]
        except MappingError as exc:
            raise PermanentSourceError(f"{self.label}: columns: {exc}") from exc

    def check_first_page(self, records: list) -> None:
        """A mapped field that no record of the first page has: fail before anything lands."""
        objects = [r for r in records if isinstance(r, dict)]
        if not objects:
            return
        for name, get in self.getters():
            if not any(get(r)[0] for r in objects):
                carried = describe_keys(_union(objects))
                raise PermanentSourceError(
                    f"{self.label}: field {name} is mapped from {self.sources[name]!r}, which no"
                    f" record of the first page has; the records carry: {carried}. Fix the"
                    " dataset's `columns` in the plan file (`plan06 sources probe` proposes"
                    " them); nothing was loaded."
                )

    def drift(self, records: list) -> list[str]:
        """Source fields of the page that nothing maps (reported, never silently dropped)."""
        used = {top_level(p) for p in self.sources.values()} | self.ignored
        return sorted({k for r in records if isinstance(r, dict) for k in r} - used)


def _union(records: list[dict]) -> dict:
    merged: dict = {}
    for record in records[:50]:
        for key, value in record.items():
            merged.setdefault(key, value)
    return merged


def land_pages(
    pages: Iterable[Page], target: Path, mapper: RecordMapper, fields: Sequence[str]
) -> LandedPages:
    """Write every page to `target`; (rows landed, total the API reported, drift)."""
    schema, drift = landed_schema(fields), []
    getters = [(name, mapper.sources[name], get) for name, get in mapper.getters()]
    private_dir(target.parent)
    partial = target.with_suffix(".parquet.part")
    rows, reported_total, buffered = 0, None, []
    try:
        with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
            for page in pages:
                if page.number == 1:
                    mapper.check_first_page(page.records)
                    drift = mapper.drift(page.records)
                reported_total = page.total if page.total is not None else reported_total
                table = page_table(page.records, schema, page.number, rows + 1, mapper.label,
                                   getters, len(META_COLUMNS))  # fmt: skip
                buffered.append(table)
                rows += buffered[-1].num_rows
                if sum(t.num_rows for t in buffered) >= ROW_GROUP_ROWS:
                    writer.write_table(pa.concat_tables(buffered))
                    buffered = []
            if buffered:
                writer.write_table(pa.concat_tables(buffered))
        private_file(partial).replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return LandedPages(rows, reported_total, tuple(drift))


@dataclass(frozen=True)
class LandedPages:
    rows: int
    reported_total: int | None
    drift: tuple[str, ...]  # source fields no mapping reads
