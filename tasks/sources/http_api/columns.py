"""One API page as Arrow text columns, built a column at a time: the landing's hot loop.

A page is a list of JSON records; each kind field becomes one text column.
Calling a getter and `source_text` per value cost ~5 µs a value (a million
rows, 20 fields: over a minute of one core), so a plain field name is read
with one `dict.get` list comprehension, and a column that holds only text
(or only integers) goes to Arrow as it is. Anything else is spelled value by
value exactly as `mapping.source_text` does, lists through orjson.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import orjson
import pyarrow as pa

from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.jsonpath import plain_keys

Getter = Callable[[dict], tuple[bool, Any]]
_NONE = type(None)


def _text(value: Any) -> str | None:
    """mapping.source_text, with lists and objects serialised by orjson (sorted keys)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
        except TypeError:  # an integer beyond 64 bits: orjson refuses it, json does not
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def text_column(values: list) -> pa.Array:
    """Landed text of one field's values (None stays NULL)."""
    kinds = set(map(type, values))
    if kinds <= {str, _NONE}:
        return pa.array(values, pa.string())
    if kinds <= {int, _NONE}:  # bool is not int here: type() is exact
        try:  # Arrow spells int64 as str() does
            return pa.array(values, pa.int64()).cast(pa.string())
        except (OverflowError, pa.ArrowInvalid):
            pass
    return pa.array([_text(v) for v in values], pa.string())


def field_values(records: list[dict], path: str, get: Getter) -> list:
    """The field's value in every record (None where a record does not have it)."""
    keys = plain_keys(path)
    if keys is not None and len(keys) == 1:
        (key,) = keys
        return [record.get(key) for record in records]
    return [get(record)[1] for record in records]


def check_objects(records: list, page: int, where: str) -> None:
    """A row that is not a JSON object fails its page, naming the row."""
    if all(type(record) is dict for record in records):
        return
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise PermanentSourceError(f"{where}: page {page} row {i + 1} is not an object")


def page_table(
    records: list, schema: pa.Schema, page: int, first_row: int, where: str,
    getters: Sequence[tuple[str, str, Getter]], meta_columns: int,
) -> pa.Table:  # fmt: skip
    """One page as an Arrow table of text columns; a non-object row fails the page."""
    check_objects(records, page, where)
    count = len(records)
    mapped = {name: text_column(field_values(records, path, get)) for name, path, get in getters}
    arrays = [pa.array(range(first_row, first_row + count), pa.int64()),
              pa.array([page] * count, pa.int32()),
              pa.nulls(count, pa.string()), pa.nulls(count, pa.string())]  # fmt: skip
    for name in schema.names[meta_columns:]:  # a field the dataset does not map: NULL
        arrays.append(mapped[name] if name in mapped else pa.nulls(count, pa.string()))
    return pa.Table.from_arrays(arrays, schema=schema)
