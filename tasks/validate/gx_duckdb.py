"""Make Great Expectations' SQL engine work on DuckDB (one small shim).

GX 1.x reads query results after closing the connection; duckdb-engine then
yields no rows and every metric fails with IndexError (upstream issues #10738,
#11579). Buffering the rows before the connection closes fixes every metric.
GX also has no regex dialect for DuckDB; we give it DuckDB's regexp_matches.
tests/tasks/validate/test_gx_duckdb.py fails when upstream fixes the bug, so
this module can then be deleted.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from great_expectations.execution_engine import SqlAlchemyExecutionEngine
from great_expectations.expectations.metrics import util as metrics_util
from great_expectations.expectations.metrics.column_map_metrics import (
    column_values_match_regex,
    column_values_not_match_regex,
)

_original_regex = metrics_util.get_dialect_regex_expression
_installed = False


def _buffered_execute_query(self: SqlAlchemyExecutionEngine, query: Any) -> Any:
    with self.get_connection() as connection:
        result = self._execute_query_with_recovery(connection, query)
        # freeze() reads every row while the connection is still open.
        return result.freeze()()


def _regex_with_duckdb(column: Any, regex: str, dialect: Any, positive: bool = True) -> Any:
    if getattr(dialect, "name", None) != "duckdb":
        return _original_regex(column, regex, dialect, positive)
    match = sa.func.regexp_matches(column, sa.literal(regex))
    return match if positive else sa.not_(match)


def install() -> None:
    """Patch GX once per process (idempotent)."""
    global _installed
    if _installed:
        return
    SqlAlchemyExecutionEngine.execute_query = _buffered_execute_query  # type: ignore[method-assign]
    for module in (column_values_match_regex, column_values_not_match_regex):
        module.get_dialect_regex_expression = _regex_with_duckdb  # type: ignore[attr-defined]
    _installed = True
