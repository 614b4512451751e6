"""The items of a list field (ThanhPhanHoSo) must be found: never counted as empty in silence.

A component list whose items carry none of the names the dataset maps (its
`components`, or the kind's own names without it) would land every item
field NULL, and digitisation and reuse would read 0% for a whole province.
So before anything lands: for each item field that is not free text, when
the batch has items but not one carries it, the pull fails with the names the
items do carry.

The check reads the typed landing first: an item field typed non-NULL was in
its item, so one narrow scan of the written list column settles the usual
batch. Only when that finds a field in no item does it read the text again
(its JSON parsed a second time, 4 s of a 10 M-row pull when it always ran),
which decides exactly as before: a field present but unreadable is a
conversion defect, not a missing name.
"""

from __future__ import annotations

import duckdb

from tasks.datasets import DatasetKind
from tasks.sources.canonical_sql import ident, literal
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.mapping import DatasetMapping


def _every(key: str) -> str:
    """The JSONPath of `key` in every item of a list."""
    return literal("$[*]." + '"' + key.replace('"', '\\"') + '"')


def _found_in_typed(con: duckdb.DuckDBPyConnection, kind: DatasetKind, typed: str) -> bool:
    """True when every checked item field is non-NULL in some item (or there are no items)."""
    for f in kind.of_type("json"):
        checked = [i for i, t in (f.items or {}).items() if t != "text"]
        if not checked:
            continue
        column = ident(f.name)
        counts = ", ".join(
            f"sum(len(list_filter({column}, x -> x.{ident(i)} IS NOT NULL)))" for i in checked
        )
        total, *found = con.execute(f"SELECT sum(len({column})), {counts} FROM {typed}").fetchone()
        if total and not all(found):
            return False
    return True


def refuse_unmapped_items(
    con: duckdb.DuckDBPyConnection, label: str, kind: DatasetKind, mapping: DatasetMapping,
    raw_view: str, typed: str | None = None,
) -> None:  # fmt: skip
    """PermanentSourceError when a mapped item field is in no item of the batch.

    `typed`: the typed landing's relation, read first (see the module's note)."""
    if typed is not None and _found_in_typed(con, kind, typed):
        return
    for f in kind.of_type("json"):
        items = f.items or {}
        sources = mapping.item_names(items)
        column = ident(f.name)
        listed = f"CASE WHEN json_valid({column}) AND json_type({column}) = 'ARRAY' THEN {column}::JSON END"  # noqa: E501
        checked = [i for i, t in items.items() if t != "text"]
        found = ", ".join(
            f"sum(len(list_filter(json_extract_string({listed}, {_every(sources.get(i, i))}),"
            " lambda v: v IS NOT NULL)))"
            for i in checked
        )
        query = (
            f"SELECT sum(json_array_length({listed})), {found},"
            f" any_value(json_keys({listed}, '$[0]')) FILTER (json_array_length({listed}) > 0)"
            f" FROM {raw_view}"
        )
        total, *per_item, keys = con.execute(query).fetchone()
        for item, count in zip(checked, per_item, strict=True):
            if total and not count:
                raise PermanentSourceError(
                    f"{label}: {f.name}: none of its {int(total)} items has the field"
                    f" {sources.get(item, item)!r} mapped to {item}; the items carry:"
                    f" {', '.join(keys or [])}. Map them in the dataset's `components`"
                    " (`plan06 sources probe` proposes them); nothing was loaded."
                )
