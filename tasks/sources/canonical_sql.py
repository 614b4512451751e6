"""DuckDB expressions that convert one landed text field to its kind's type.

Each returns (typed value, defect text or NULL): the defect names the field
and the rule, never the value (a cell may hold personal data).
"""

from __future__ import annotations

import json

from tasks.datasets import KindField
from tasks.sources.mapping import DatasetMapping

VIETNAM_OFFSET_US = 7 * 3600 * 1_000_000  # UTC+7 all year: Vietnam keeps no summer time
_ISO = r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?"
_INTEGER = r"[+-]?\d+(\.0+)?"
FLAG_VALUES = {"1": 1, "0": 0}
EARLIEST_YEAR = 1900


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _present(value: str) -> str:
    return f"nullif(trim({value}), '')"


def timestamp_sql(value: str, fmt: str) -> str:
    """One format's parse of a trimmed text value, as local (UTC+7) TIMESTAMP or NULL."""
    if fmt == "iso8601":
        utc = f"epoch_us(try_cast({value} AS TIMESTAMPTZ))"
        has_zone = f"regexp_matches({value}, '(Z|[+-]\\d{{2}}:?\\d{{2}})$')"
        return (
            f"CASE WHEN NOT regexp_full_match({value}, {literal(_ISO)}) THEN NULL"
            f" WHEN {has_zone} THEN make_timestamp({utc} + {VIETNAM_OFFSET_US})"
            f" ELSE try_cast({value} AS TIMESTAMP) END"
        )
    if fmt in ("epoch_ms", "epoch_s"):
        scale = 1000 if fmt == "epoch_ms" else 1_000_000
        number = f"try_cast(CASE WHEN regexp_full_match({value}, '-?\\d{{1,16}}') THEN {value} END AS BIGINT)"  # noqa: E501
        return f"make_timestamp({number} * {scale} + {VIETNAM_OFFSET_US})"
    if fmt == "excel":
        days = f"try_cast(CASE WHEN regexp_full_match({value}, '\\d{{1,6}}(\\.\\d+)?') THEN {value} END AS DOUBLE)"  # noqa: E501
        return f"TIMESTAMP '1899-12-30' + to_microseconds(CAST(round({days} * 86400e6) AS BIGINT))"
    return f"try_strptime({value}, {literal(fmt)})"


def _mapped(value: str, mapping: dict[str, int | str], sql_type: str) -> str:
    cases = " ".join(
        f"WHEN {literal(k)} THEN {literal(str(v))}::{sql_type}" for k, v in mapping.items()
    )
    return f"CASE lower({value}) {cases} END"


def scalar_sql(
    ftype: str, value: str, values: dict[str, int | str] | None, formats: list[str]
) -> str:
    """Typed value of a non-list field from its trimmed, non-empty text `value`."""
    if ftype in ("code", "text"):
        return _mapped(value, values, "VARCHAR") if values else f"nfc_normalize({value})"
    if ftype == "int":
        if values:
            return _mapped(value, values, "BIGINT")
        return (
            f"CASE WHEN regexp_full_match({value}, {literal(_INTEGER)})"
            f" THEN try_cast(try_cast({value} AS DOUBLE) AS BIGINT) END"
        )
    if ftype == "flag":
        return _mapped(value, values or FLAG_VALUES, "SMALLINT")
    if ftype == "timestamp":
        parsed = ", ".join(timestamp_sql(value, f) for f in formats)
        return f"coalesce({parsed})" if len(formats) > 1 else parsed
    raise ValueError(f"no scalar conversion for type {ftype}")


def _defect(field: str, value: str, typed: str, rule: str) -> str:
    return f"CASE WHEN {value} IS NOT NULL AND ({typed}) IS NULL THEN {literal(f'{field}: {rule}')} END"  # noqa: E501


def field_sql(
    f: KindField, column: str, mapping: DatasetMapping, formats: list[str]
) -> tuple[str, str | None]:
    """(typed SQL, defect SQL) of kind field `f` landed as text in `column`."""
    if f.type == "citizen_id":
        return f"regexp_replace(nfc_normalize(coalesce({column}, '')), '[\\s\\pZ]', '', 'g')", None
    if f.type == "json":
        return _list_sql(f, column, mapping)
    value = _present(column)
    values = mapping.value_map(f.name)
    typed = scalar_sql(f.type, value, values, formats)
    if f.type in ("code", "text") and not values:
        typed = f"nullif(trim({typed}), '')"
    defect = _defect_of(f, value, typed, values, formats)
    if f.default is not None:  # a missing value takes the default; an unreadable one does not
        default = literal(f.default) if isinstance(f.default, str) else str(f.default)
        typed = f"CASE WHEN {value} IS NULL THEN {default} ELSE {typed} END"
    return typed, defect


def _defect_of(
    f: KindField, value: str, typed: str, values: dict | None, formats: list[str]
) -> str | None:
    if f.type in ("code", "text") and not values:
        return None
    if f.type == "timestamp":
        return _timestamp_defect(f.name, value, typed, formats)
    rule = "value not in the plan's value map" if values else f"not a valid {f.type}"
    return _defect(f.name, value, typed, rule)


def _timestamp_defect(field: str, value: str, typed: str, formats: list[str]) -> str:
    # A date far outside any plan (year 0202, 2062; seconds read as milliseconds)
    # is a wrong format or a typo: a defect, not a value.
    rule = f"{field}: not a date in the declared format ({', '.join(formats)})"
    return (
        f"CASE WHEN {value} IS NULL THEN NULL WHEN ({typed}) IS NULL THEN {literal(rule)}"
        f" WHEN year({typed}) NOT BETWEEN {EARLIEST_YEAR} AND year(current_date) + 1"
        f" THEN {literal(f'{field}: date out of range ({EARLIEST_YEAR} to next year)')} END"
    )


def _list_sql(f: KindField, column: str, mapping: DatasetMapping) -> tuple[str, str | None]:
    """A JSON list of objects (source item names) -> list of typed structs (kind names)."""
    items = f.items or {}
    sources = mapping.item_names(items)
    schema = json.dumps([{sources.get(i, i): "VARCHAR" for i in items}])
    parsed = (
        f"CASE WHEN json_valid({column}) AND json_type({column}) = 'ARRAY'"
        f" THEN from_json({column}, {literal(schema)}) END"
    )
    fields, unread = [], []
    for name, itype in items.items():
        raw = f"nullif(trim(x.{ident(sources.get(name, name))}), '')"
        typed_item = scalar_sql(itype, raw, mapping.value_map(name), [])
        fields.append(f"{literal(name)}: {typed_item}")
        if itype != "text":
            unread.append(f"({raw} IS NOT NULL AND ({typed_item}) IS NULL)")
    typed = f"list_transform({parsed}, x -> {{{', '.join(fields)}}})"
    value = _present(column)
    bad_items = f"list_bool_or(list_transform({parsed}, x -> {' OR '.join(unread) or 'false'}))"
    return typed, (
        f"CASE WHEN {value} IS NULL THEN NULL"
        f" WHEN ({parsed}) IS NULL THEN {literal(f'{f.name}: not a JSON list of objects')}"
        f" WHEN {bad_items} THEN {literal(f'{f.name}: an item value not in the value map')} END"
    )
