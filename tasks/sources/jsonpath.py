"""Field names and JSONPaths into a source's records, looked up fast.

A plain name or dotted path (`ho_so.ma`, `$.thoiGian.nop`) is looked up key by
key: a million records cost a second, where a JSONPath match costs a minute.
Anything else (filters, indexes, wildcards) goes to jsonpath-ng, which also
parses every path, so a path that does not parse is an error at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from jsonpath_ng import Child, Fields, Root
from jsonpath_ng import parse as parse_jsonpath


class MappingError(ValueError):
    """A mapping that names something the kind or the source does not have."""


@cache
def record_getter(path: str) -> Callable[[dict], tuple[bool, Any]]:
    """(found, value) of `path` in one record; MappingError for a path that does not parse.

    A plain name or dotted path is looked up key by key (a million records
    cost a second, where a JSONPath match costs a minute); anything else
    (filters, indexes, wildcards) goes to jsonpath-ng, which parses every path.
    """
    try:
        expression = parse_jsonpath(path)
    except Exception as exc:  # JsonPathParserError, and bare Exceptions from its lexer
        raise MappingError(f"{path!r} is not a field name or JSONPath: {exc}") from exc
    keys = _plain_keys(expression)
    if keys is not None:
        return lambda record: _walk(record, keys)

    def find(record: dict) -> tuple[bool, Any]:
        matches = expression.find(record)
        if not matches:
            return False, None
        return True, matches[0].value if len(matches) == 1 else [m.value for m in matches]

    return find


@cache
def plain_keys(path: str) -> tuple[str, ...] | None:
    """The keys of a plain name or dotted path, None for any other JSONPath (or none at all)."""
    try:
        return _plain_keys(parse_jsonpath(path))
    except Exception:  # record_getter reports a path that does not parse
        return None


def _plain_keys(expression: Any) -> tuple[str, ...] | None:
    if isinstance(expression, Fields) and len(expression.fields) == 1:
        return (expression.fields[0],)
    if isinstance(expression, Child):
        if isinstance(expression.left, Root):
            return _plain_keys(expression.right)
        left, right = _plain_keys(expression.left), _plain_keys(expression.right)
        return left + right if left is not None and right is not None else None
    return None


def _walk(record: Any, keys: tuple[str, ...]) -> tuple[bool, Any]:
    for key in keys:
        if not isinstance(record, dict) or key not in record:
            return False, None
        record = record[key]
    return True, record


def top_level(path: str) -> str:
    """The record key a path starts from (for schema-drift reports)."""
    match = re.match(r"^\$?\.?([A-Za-z_][A-Za-z0-9_]*)", path)
    return match.group(1) if match else path
