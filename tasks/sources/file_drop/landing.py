"""Land the rows of a slice's files as one Parquet file, in chunks."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from tasks.private_files import private_dir, private_file
from tasks.settings import duckdb_config
from tasks.sources.file_drop.cells import FileRejected, Row
from tasks.sources.file_drop.identity import file_sha256
from tasks.sources.http_api.landing import landed_schema

CHUNK_ROWS = 10_000
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileOutcome:
    """One file of the drop and what became of it (a row of ops.file_ledger)."""

    file_path: str
    sha256: str
    size_bytes: int
    status: str  # loaded | quarantined
    reason: str | None
    rows_landed: int


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
    files: Sequence[tuple[str, Path, Iterable[Row] | None]],
    target: Path,
    fields: Sequence[str],
    bulk: Callable[[Path, str, int, Path], int] | None = None,
    identity: Callable[[Path], str] = file_sha256,
) -> list[FileOutcome]:
    """Write the rows of every readable file; a rejected file lands no row at all.

    A file given without rows (None) is a bulk file: `bulk(path, name, page,
    part)` copies it into a Parquet part of its own (file_drop/bulk.py), and
    the parts are joined after the row-by-row files' rows.
    """
    schema = landed_schema(fields)
    private_dir(target.parent)
    partial = target.with_suffix(".parquet.part")
    parts: list[Path] = []
    outcomes = []
    try:
        with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
            chunks = ChunkWriter(writer, schema)
            for page, (name, path, rows) in enumerate(files, start=1):
                if rows is None:
                    assert bulk is not None
                    part = target.with_suffix(f".part{page}.parquet")
                    outcome = _land_bulk(bulk, page, name, path, part, identity(path))
                    parts += [part] if outcome.status == "loaded" else []
                else:
                    outcome = _land_one(chunks, page, name, path, rows, identity(path))
                outcomes.append(outcome)
            chunks.flush()
        if parts:
            _join_parts([partial, *parts] if chunks.rows else parts, target)
        else:
            partial.replace(target)
        private_file(target)
    finally:
        for leftover in (partial, *parts):
            leftover.unlink(missing_ok=True)
    return outcomes


def _land_bulk(
    bulk: Callable[[Path, str, int, Path], int], page: int, name: str, path: Path, part: Path,
    digest: str,
) -> FileOutcome:  # fmt: skip
    size = path.stat().st_size
    try:
        landed = bulk(path, name, page, part)
    except FileRejected as exc:
        part.unlink(missing_ok=True)
        return FileOutcome(name, digest, size, "quarantined", str(exc), 0)
    except Exception as exc:  # a reader bug must cost this file, not the slice (issue 16)
        part.unlink(missing_ok=True)
        return FileOutcome(name, digest, size, "quarantined", _unexpected(name, exc), 0)
    return FileOutcome(name, digest, size, "loaded", None, landed)


def _unexpected(name: str, exc: Exception) -> str:
    """The reason for a failure no check foresaw: its type only, as its message may
    quote the file's bytes (a reason, a log line and Slack never hold a cell)."""
    logger.error("file %s: the reader failed with %s", name, type(exc).__name__)
    return f"the reader failed ({type(exc).__name__}): the file is kept out; report it to plan06"


def _join_parts(parts: Sequence[Path], target: Path) -> None:
    """One landing file from the parts, in order (DuckDB keeps the files' order)."""
    if len(parts) == 1:
        parts[0].replace(target)
        return
    joined = target.with_suffix(".parquet.joined")
    listed = ", ".join("'" + str(p).replace("'", "''") + "'" for p in parts)
    try:
        with duckdb.connect(config=duckdb_config()) as con:
            con.execute(
                f"COPY (SELECT * FROM read_parquet([{listed}])) TO"
                f" '{str(joined).replace(chr(39), chr(39) * 2)}' (FORMAT parquet, COMPRESSION zstd)"
            )
        joined.replace(target)
    finally:
        joined.unlink(missing_ok=True)


def _land_one(
    chunks: ChunkWriter, page: int, name: str, path: Path, rows: Iterable[Row], digest: str
) -> FileOutcome:
    size = path.stat().st_size
    # Rows of a file that turns out bad half-way must not land: read it whole first.
    try:
        collected = list(rows)
    except FileRejected as exc:
        return FileOutcome(name, digest, size, "quarantined", str(exc), 0)
    except Exception as exc:  # openpyxl, pyarrow: the file is refused, the slice goes on
        return FileOutcome(name, digest, size, "quarantined", _unexpected(name, exc), 0)
    landed = chunks.add(page, collected)
    return FileOutcome(name, digest, size, "loaded", None, landed)
