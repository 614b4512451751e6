"""The SQL of the bulk reader (bulk.py): the landing columns of a file, its CSV scan.

The checks readers.py and cells.py make per cell are SQL expressions here, with
the same words: a cell over 128 KiB or with a NUL byte is the row's defect, and
the row lands without values, as to_row lands it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tasks.sources.file_drop.cells import MAX_FIELD_CHARS, NUL, OVERSIZE
from tasks.sources.specs import FileDropSource


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell_sql(column: str, name: str) -> str:
    """cells.cell_defect in SQL."""
    return (
        f"CASE WHEN length({column}) > {MAX_FIELD_CHARS} THEN {literal(f'{name}: {OVERSIZE}')}"
        f" WHEN contains({column}, chr(0)) THEN {literal(f'{name}: {NUL}')} END"
    )


def select_sql(
    columns: list[str], mapped: list[str | None], types: list[str], fields: Sequence[str],
    source: FileDropSource, page: int, name: str,
) -> str:  # fmt: skip
    """The landing columns, in landed_schema order, from the file's columns."""
    marker = ":" if source.format == "csv" else ":row "
    text, defects = {}, []
    if source.format == "csv":  # the cell checks, on every column, as to_row makes them
        defects = [_cell_sql(ident(c), f or f"column {i}")
                   for i, (c, f) in enumerate(zip(columns, mapped, strict=True), 1)]  # fmt: skip
    for column, field, kind in zip(columns, mapped, types, strict=True):
        if field is None:
            continue
        value = ident(column)
        if kind in ("DOUBLE", "FLOAT"):  # 12.0 -> '12', as readers.py does
            value = f"CASE WHEN {value} = trunc({value}) THEN {value}::BIGINT::VARCHAR ELSE {value}::VARCHAR END"  # noqa: E501
        elif kind == "DATE":  # a typed date lands as ISO text, as readers.py lands it
            value = f"strftime({value}, '%Y-%m-%d')"
        elif kind.startswith("TIMESTAMP"):
            value = f"strftime({value}::TIMESTAMP, '%Y-%m-%dT%H:%M:%S')"
        elif kind != "VARCHAR":
            value = f"{value}::VARCHAR"
        text[field] = value
    defect = f"coalesce({', '.join(defects)})" if defects else "NULL::VARCHAR"
    # a row with a defect lands without values, as readers.py lands it
    values = [
        f"CASE WHEN _defect IS NULL THEN {text[f]} END" if defects and f in text else text.get(f)
        for f in fields
    ]
    values = [f"{v} AS {ident(f)}" if v else f"NULL::VARCHAR AS {ident(f)}"
              for v, f in zip(values, fields, strict=True)]  # fmt: skip
    return (
        # "name:" (CSV line) or "name:row " (Parquet row): staging appends the number
        f"SELECT NULL::BIGINT AS _row, {page}::INTEGER AS _page,"
        f" {literal(name + marker)} AS _source, _defect, {', '.join(values)}"
        f" FROM (SELECT *, {defect} AS _defect FROM {{scan}})"
    )


def csv_scan(path: Path, width: int, source: FileDropSource) -> str:
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    return (
        f"read_csv({literal(str(path))}, header = true, auto_detect = false,"
        f" delim = {literal(source.delimiter)}, quote = {literal(source.quotechar)},"
        f" escape = {literal(source.quotechar)}, columns = {columns},"
        " strict_mode = true, store_rejects = true)"
    )
