"""The canonical landed shape of a kind: every source's text converted once, typed.

Both source kinds land a batch as text first (API fields as delivered, file
cells as read), named by the kind's fields. This step converts that file, in
DuckDB, into the kind's typed shape: codes and text trimmed and NFC, integers,
flags 0/1, timestamps in local Vietnam time (offsets applied), the list field
as a list of typed structs, the citizen ID with its spaces removed. Formats
and value maps come from the plan's dataset (mapping.py); nothing is guessed.

A value that does not convert is a defect of its row (quarantined, with the
field named; `_unread_fields` lists every field of the row that did not);
when more than a few rows of one field fail, the declared format or map is
wrong, not the rows: the pull fails with the plan, dataset, field, the
source's name for it and a masked sample, and nothing lands.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tasks.datasets import DatasetKind, KindField
from tasks.private_files import private_file
from tasks.settings import duckdb_config
from tasks.sources.canonical_items import refuse_unmapped_items
from tasks.sources.canonical_sql import field_sql, ident, literal
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.mapping import UNPARSED_FLOOR, DatasetMapping

META = ("_row", "_page", "_source")
PORTAL_STAMP = "%Y%m%d%H%M%S"  # the National Public Service Portal's timestamps
UNREAD = "_unread_fields"  # a row's fields that did not convert (NULL: none)


@dataclass(frozen=True)
class Canon:
    """The conversion of one kind for one dataset's mapping."""

    label: str  # plan/dataset
    kind: DatasetKind
    mapping: DatasetMapping
    typed_cells: bool  # a file drop: XLSX/Parquet date cells arrive as ISO text

    def columns(self) -> list[tuple[KindField, str, str | None]]:
        """(field, typed SQL, defect SQL or None) per kind field."""
        out = []
        for f in self.kind.fields:
            formats = self.mapping.formats_of(f.name, PORTAL_STAMP)
            if self.typed_cells and "iso8601" not in formats:
                formats = [*formats, "iso8601"]
            typed, defect = field_sql(f, ident(f.name), self.mapping, formats)
            out.append((f, typed, defect))
        return out

    def select(self, raw: Path) -> str:
        parts = [ident(m) for m in META] + ["_defect AS _raw_defect"]
        for i, (f, typed, defect) in enumerate(self.columns()):
            parts += [f"{ident(f.name)} AS _r{i}", f"{typed} AS _t{i}"]
            parts.append(f"{defect or 'NULL::VARCHAR'} AS _d{i}")
        return f"SELECT {', '.join(parts)} FROM read_parquet({literal(str(raw))})"


def canonicalise(canon: Canon, raw: Path, target: Path) -> int:
    """Write the typed landing file `target` from the text landing `raw`; returns rows.

    One pass converts and writes: each row with a defect also lists, in
    `_unread_fields`, every field that did not convert, so the fields' failure
    counts are read back from that one (almost all NULL) column of the written
    file, not from a second conversion of every row; only a refused batch
    converts again, for its masked sample."""
    names = canon.kind.field_names
    con = duckdb.connect(config=duckdb_config())
    partial = target.with_suffix(".parquet.part")
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(f"CREATE TEMP VIEW raw AS SELECT * FROM read_parquet({literal(str(raw))})")
        con.execute(f"CREATE TEMP VIEW canon AS {canon.select(raw)}")
        field_defects = [f"_d{i}" for i in range(len(names))]
        unread = ", ".join(
            f"CASE WHEN _d{i} IS NOT NULL THEN {literal(name)} END" for i, name in enumerate(names)
        )
        typed = ", ".join(f"_t{i} AS {ident(name)}" for i, name in enumerate(names))
        con.execute(
            f"COPY (SELECT {', '.join(ident(m) for m in META)},"
            f" coalesce(_raw_defect, {', '.join(field_defects)}) AS _defect, {typed},"
            f" CASE WHEN coalesce({', '.join(field_defects)}) IS NOT NULL"
            f" THEN list_filter([{unread}], f -> f IS NOT NULL) END AS {UNREAD}"
            f" FROM canon) TO {literal(str(partial))} (FORMAT parquet, COMPRESSION zstd)"
        )
        typed_file = f"read_parquet({literal(str(partial))})"
        refuse_unmapped_items(con, canon.label, canon.kind, canon.mapping, "raw", typed_file)
        rows, failed = _failures(con, partial)
        _refuse_unreadable(con, canon, rows, failed)
        private_file(partial).replace(target)
    finally:
        con.close()
        partial.unlink(missing_ok=True)
    return rows


def _failures(con: duckdb.DuckDBPyConnection, landed: Path) -> tuple[int, dict[str, int]]:
    """Rows of the written file, and how many did not convert per field."""
    source = f"read_parquet({literal(str(landed))})"
    (rows,) = con.execute(f"SELECT count(*) FROM {source}").fetchone()
    failed = con.execute(
        f"SELECT f, count(*) FROM (SELECT unnest({UNREAD}) AS f FROM {source}"
        f" WHERE {UNREAD} IS NOT NULL) GROUP BY f"
    ).fetchall()
    return int(rows), {name: int(count) for name, count in failed}


def masked(value: object) -> str:
    """A sample's shape only: letters become x, digits 9 (no raw cell leaves the landing)."""
    text = re.sub(r"\d", "9", str(value))[:40]
    return re.sub(r"[^\W\d_]", "x", text)


def _refuse_unreadable(
    con: duckdb.DuckDBPyConnection, canon: Canon, rows: int, failed: dict[str, int]
) -> None:
    sources = canon.mapping.source_names(canon.kind)
    allowed = max(UNPARSED_FLOOR, math.floor(rows * canon.mapping.max_unparsed_share))
    for i, f in enumerate(canon.kind.fields):
        if failed.get(f.name, 0) <= allowed:
            continue
        (first,) = con.execute(
            f"SELECT arg_min(_r{i}, _row) FILTER (_d{i} IS NOT NULL) FROM canon"
        ).fetchone()
        what, sample = _expected(canon, f), masked(first)
        raise PermanentSourceError(
            f"{canon.label}: field {f.name} (source field {sources.get(f.name, f.name)!r}):"
            f" {failed[f.name]} of {rows} rows {what}; sample (letters and digits masked):"
            f" {sample!r}. Fix the dataset's {_key(f)} in the plan file (`plan06 sources probe`"
            " proposes one); nothing was loaded."
        )


def _expected(canon: Canon, f: KindField) -> str:
    if f.type == "timestamp":
        formats = canon.mapping.formats_of(f.name, PORTAL_STAMP)
        return f"match no declared format ({', '.join(formats)})"
    if canon.mapping.value_map(f.name) is not None:
        return "hold a value outside the field's value map"
    return {"int": "are not whole numbers", "flag": "are not 0/1 (declare a value map)",
            "json": "are not a JSON list of objects"}.get(f.type, "cannot be read")  # fmt: skip


def _key(f: KindField) -> str:
    return "formats" if f.type == "timestamp" else "values or columns"
