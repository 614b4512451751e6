"""Land big CSV and Parquet drops with DuckDB: parallel, memory-flat, no row in Python.

The row-by-row reader (readers.py) decodes, checks and NFC-normalises every
cell in Python: right for the spreadsheets staff drop, but ten million rows
take minutes and it holds a file in memory. A UTF-8 CSV or Parquet file of at
least the source's `bulk_min_bytes` is copied by DuckDB into a landing part
instead, with the checks that decide what lands:
- the header must match the source's column map (same rule, same message);
- a CSV line with the wrong number of fields lands as a row with its defect
  and its exact line (DuckDB's rejects table); a quoting error or a byte that
  is not UTF-8 refuses the file with the line DuckDB names;
- typed date columns of a Parquet file land as ISO text, as in readers.py.
Text lands as delivered, as API pages do: the staging models trim and
NFC-normalise the fields they use.

Good rows carry no `_row`, and `_source` without its number ("name:" for a
CSV line, "name:row " for a Parquet row): staging numbers them by their
position in the landing file (tasks/load/stage.py). The
reference is the row as a spreadsheet shows it (header = 1), which is the
line unless a cell holds a line break or a malformed line precedes the row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from tasks.settings import duckdb_config
from tasks.sources.file_drop.bulk_sql import csv_scan, ident, literal, select_sql
from tasks.sources.file_drop.cells import OVERSIZE, FileRejected, header_map
from tasks.sources.file_drop.readers import check_size, csv_text
from tasks.sources.specs import FileDropSource

# The text copy lives only until the typed landing is written (tasks/sources/pull.py):
# snappy costs a fraction of zstd's CPU on a file read once and deleted.
TEXT_COPY = "(FORMAT parquet, COMPRESSION snappy)"
SAMPLE_BYTES = 4 << 20  # enough to spot a legacy font encoding or UTF-16
# strict_mode rejects: wrong field counts are row defects, the rest refuse the file
_ROW_DEFECTS = ("TOO MANY COLUMNS", "MISSING COLUMNS")
# a line over DuckDB's max_line_size (its default) has a reject without a column
_LINE_TOO_LONG, _MAX_LINE = "LINE SIZE OVER MAXIMUM", 2_000_000


def is_bulk(path: Path, source: FileDropSource) -> bool:
    """Whether DuckDB reads this file (big UTF-8 CSV or Parquet) instead of readers.py."""
    if source.format == "csv" and source.encoding != "utf-8":
        return False
    return source.format in ("csv", "parquet") and path.stat().st_size >= source.bulk_min_bytes


def _csv_header(path: Path, size: int, source: FileDropSource) -> list[str]:
    """Refuse what readers.py refuses, on a sample; return the header's cells."""
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    if size > len(sample):  # cut at the last whole line: no split character
        sample = sample[: sample.rfind(b"\n") + 1]
    text = csv_text(sample, "utf-8")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter,
                      quotechar=source.quotechar)  # fmt: skip
    header = next(rows, None)
    if header is None or not any(header):
        raise FileRejected("no header line")
    return header


def land_bulk_file(
    path: Path, name: str, page: int, part: Path, source: FileDropSource,
    header_fields: dict[str, str], fields: Sequence[str],
) -> int:  # fmt: skip
    """Copy one file's rows into the landing part `part`; rows landed (defects included)."""
    size = path.stat().st_size
    check_size(size, source)  # Parquet too: empty, or over the source's limit
    # its own connection: the rejects tables are this file's only
    con = duckdb.connect(config=duckdb_config())
    try:
        con.execute("SET enable_progress_bar = false")
        if source.format == "csv":
            header = _csv_header(path, size, source)
            mapped = header_map(header_fields, source.ignore_columns, header)
            columns = [f"c{i}" for i in range(len(header))]
            scan, types = csv_scan(path, len(header), source), ["VARCHAR"] * len(header)
        else:
            scan = f"read_parquet({literal(str(path))})"
            try:
                described = con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
            except duckdb.Error as exc:
                raise FileRejected(f"not a readable Parquet file: {type(exc).__name__}") from exc
            columns, types = [r[0] for r in described], [r[1] for r in described]
            mapped = header_map(header_fields, source.ignore_columns, columns)
        select = select_sql(columns, mapped, types, fields, source, page, name).replace(
            "{scan}", scan
        )
        try:
            (rows,) = con.execute(f"COPY ({select}) TO {literal(str(part))} {TEXT_COPY}").fetchone()
        except duckdb.Error as exc:  # Parquet that breaks mid-file, CSV beyond repair
            raise FileRejected(f"unreadable: {str(exc).splitlines()[0]}") from exc
        defects = _rejected_lines(con, name) if source.format == "csv" else []
        if rows == 0 and not defects:
            empty = "a header but no data rows" if source.format == "csv" else "no data rows"
            raise FileRejected(empty)
    finally:
        con.close()
    if defects:
        _append_defects(part, page, defects, fields)
    return int(rows) + len(defects)


def _rejected_lines(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[str, str]]:
    """(file:line, defect) of every malformed line; FileRejected for what no row survives."""
    rejected = con.execute(
        # a short line is reported once per missing column: keep its first report
        # a line too long has no column (column_idx NULL), which arg_min skipped:
        # issue 16's crash, 'NoneType' object has no attribute 'replace'
        "SELECT line, arg_min(error_type::VARCHAR, coalesce(column_idx, -1)),"
        " arg_min(error_message, coalesce(column_idx, -1)) FROM reject_errors"
        " GROUP BY line ORDER BY line"
    ).fetchall()
    rows = []
    for line, error_type, message in rejected:
        kind = str(error_type).replace("_", " ").upper()
        if kind == _LINE_TOO_LONG:  # a line DuckDB cannot hold is one broken row
            rows.append((f"{name}:{line}", f"{OVERSIZE} (a line over {_MAX_LINE} bytes)"))
            continue
        if kind not in _ROW_DEFECTS:
            # a quote never closed swallows the lines after it in DuckDB's reader, so
            # no row after it can be trusted: refused whole, at the line it opens on
            first = str(message).splitlines()[0]
            raise FileRejected(f"line {line}: bad quoting, encoding or layout: {first}")
        rows.append((f"{name}:{line}", _field_count_defect(str(message))))
    return rows


def _field_count_defect(message: str) -> str:
    """DuckDB's "Expected Number of Columns: 9 Found: 10" in readers.py's words."""
    found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    if found is None:
        return message.splitlines()[0]
    return f"{found.group(2)} fields where the header has {found.group(1)}"


def _append_defects(
    part: Path, page: int, defects: list[tuple[str, str]], fields: Sequence[str]
) -> None:
    """Rewrite the part with the malformed lines after its rows (rare: only when there are some)."""
    con = duckdb.connect(config=duckdb_config())
    try:
        con.execute("CREATE TEMP TABLE defects (_source VARCHAR, _defect VARCHAR)")
        con.executemany("INSERT INTO defects VALUES (?, ?)", defects)
        nulls = ", ".join(f"NULL::VARCHAR AS {ident(f)}" for f in fields)
        with_defects = part.with_suffix(".defects.parquet")
        con.execute(
            f"COPY (SELECT * FROM read_parquet({literal(str(part))}) UNION ALL"
            f" SELECT NULL::BIGINT, {page}::INTEGER, _source, _defect, {nulls} FROM defects)"
            f" TO {literal(str(with_defects))} {TEXT_COPY}"
        )
        with_defects.replace(part)
    finally:
        con.close()
