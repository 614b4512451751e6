"""Land the rows of a slice's files as one Parquet file, in chunks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.sources.file_drop.cells import FileRejected, Row
from tasks.sources.http_api.landing import landed_schema

CHUNK_ROWS = 10_000


@dataclass(frozen=True)
class FileOutcome:
    """One file of the drop and what became of it (a row of ops.file_ledger)."""

    file_path: str
    sha256: str
    size_bytes: int
    status: str  # loaded | quarantined
    reason: str | None
    rows_landed: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ChunkWriter:
    """Buffer rows and write them as row groups of the landed schema."""

    def __init__(self, writer: pq.ParquetWriter, schema: pa.Schema) -> None:
        self.writer, self.schema, self.buffer, self.rows = writer, schema, [], 0

    def add(self, page: int, rows: Iterable[Row]) -> int:
        added = 0
        for row in rows:
            self.rows += 1
            added += 1
            self.buffer.append({"_row": self.rows, "_page": page, "_source": row.ref,
                                "_defect": row.defect, **row.values})  # fmt: skip
            if len(self.buffer) >= CHUNK_ROWS:
                self.flush()
        return added

    def flush(self) -> None:
        if self.buffer:
            self.writer.write_table(pa.Table.from_pylist(self.buffer, schema=self.schema))
            self.buffer = []


def land_files(
    files: Sequence[tuple[str, Path, Iterable[Row]]], target: Path, fields: Sequence[str]
) -> list[FileOutcome]:
    """Write the rows of every readable file; a rejected file lands no row at all."""
    schema = landed_schema(fields)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".parquet.part")
    outcomes = []
    try:
        with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
            chunks = ChunkWriter(writer, schema)
            for page, (name, path, rows) in enumerate(files, start=1):
                outcomes.append(_land_one(chunks, page, name, path, rows))
            chunks.flush()
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return outcomes


def _land_one(
    chunks: ChunkWriter, page: int, name: str, path: Path, rows: Iterable[Row]
) -> FileOutcome:
    digest, size = file_sha256(path), path.stat().st_size
    # Rows of a file that turns out bad half-way must not land: read it whole first.
    try:
        collected = list(rows)
    except FileRejected as exc:
        return FileOutcome(name, digest, size, "quarantined", str(exc), 0)
    landed = chunks.add(page, collected)
    return FileOutcome(name, digest, size, "loaded", None, landed)
