"""Validate a staged batch with its GX suite, inside DuckDB.

GX's SQL engine evaluates every expectation in the staging file (no frame in
memory); each expectation's severity decides what its failures mean:
critical rejects the batch, warning quarantines the failing rows, info is
only reported. An expectation that raised is treated as critical: a check we
could not run is not a check that passed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import great_expectations as gx

from tasks.settings import duckdb_config
from tasks.validate import gx_duckdb
from tasks.validate.clock import with_pull_time

logger = logging.getLogger(__name__)
INDEX_COLUMN = "row_number"
ALL_ROWS = 2**62


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    severity: str
    success: bool
    raised: bool
    unexpected_count: int
    reason: str


@dataclass(frozen=True)
class RowFailure:
    row_number: int
    expectation: str
    column: str | None
    severity: str
    reason: str


@dataclass
class Verdict:
    outcomes: list[ExpectationOutcome]
    row_failures: list[RowFailure] = field(default_factory=list)
    # GX's own result, for its Data Docs (tasks/report/datadocs.py); dropped once rendered.
    gx_result: Any = field(default=None, repr=False, compare=False)

    @property
    def rejected(self) -> bool:
        return any(o.severity == "critical" and not o.success for o in self.outcomes)

    @property
    def rejection_reasons(self) -> list[str]:
        return [o.reason for o in self.outcomes if o.severity == "critical" and not o.success]

    def summary(self) -> list[dict[str, Any]]:
        return [o.__dict__ for o in self.outcomes]


def _close(engine: Any, source: Any) -> None:
    """Close every connection GX holds: the persisted one, then both engines' pools."""
    if getattr(engine, "_connection", None) is not None:
        engine._connection.close()
        engine._connection = None
    engine.close()
    engine.engine.dispose()
    source.get_engine().dispose()


def _url(staged: Path) -> str:
    """SQLAlchemy URL of the staging file; duckdb-engine passes the query on as DuckDB config."""
    return f"duckdb:///{staged}?" + urlencode(duckdb_config())


def _column(config: Any) -> str | None:
    kwargs = config.kwargs
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    return None


def _raised(exception_info: dict | None) -> bool:
    """GX 1.x keys exception info by metric id; any raised metric counts."""
    if not exception_info:
        return False
    if "raised_exception" in exception_info:
        return bool(exception_info["raised_exception"])
    return any(isinstance(v, dict) and v.get("raised_exception") for v in exception_info.values())


def _reason(config: Any, language: str, raised: bool) -> str:
    meta = config.meta or {}
    text = meta.get(f"reason_{language}") or meta.get("reason_en") or config.type
    return f"{text} (không kiểm tra được)" if raised and language == "vi" else text


def validate_staged(
    staged: Path, table: str, suite: gx.ExpectationSuite, parameters: dict, language: str
) -> Verdict:
    """Run the suite on `table` of the staging file; failing rows by row_number."""
    gx_duckdb.install()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_sql(name="staging", connection_string=_url(staged))
    batch = (
        source.add_table_asset(name=table, table_name=table)
        .add_batch_definition_whole_table("all")
        .get_batch()
    )
    try:
        result = batch.validate(
            suite,
            expectation_parameters=with_pull_time(parameters),
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [INDEX_COLUMN],
                # GX's SQL engine cuts the index list at this count (default 20):
                # every failing row must be quarantined, so lift the cap.
                "partial_unexpected_count": ALL_ROWS,
            },
        )
    finally:
        # Close GX's pooled connection: the staging file is attached by publish next,
        # and DuckDB refuses a file that is still open in this process.
        _close(batch.data.execution_engine, source)
    verdict = Verdict(outcomes=[], gx_result=result)
    for item in result.results:
        config = item.expectation_config
        raised = _raised(item.exception_info)
        severity = str(getattr(config.severity, "value", config.severity))
        reason = _reason(config, language, raised)
        if raised:
            severity = "critical"
        outcome = ExpectationOutcome(
            expectation=config.type,
            column=_column(config),
            severity=severity,
            success=bool(item.success),
            raised=raised,
            unexpected_count=int(item.result.get("unexpected_count") or 0),
            reason=reason,
        )
        verdict.outcomes.append(outcome)
        # Row failures are recorded for warnings only: a critical failure
        # rejects the whole batch, and its reason is in the audit row.
        if outcome.success or severity != "warning":
            continue
        for index in item.result.get("unexpected_index_list") or []:
            verdict.row_failures.append(
                RowFailure(int(index[INDEX_COLUMN]), config.type, outcome.column, severity, reason)
            )
    return verdict
