"""The validation report of each batch (GX's result, plan06's page): one HTML
file per batch under data/reports/datadocs/<batch_id>.html, linked from the plan
report, and datadocs/index.html listing them all.

Why not GX's own Data Docs: its page view links Bootstrap, jQuery, Vega and a
logo from outside addresses (broken offline and calls out of a government
network), its "Home" links point to a site index only a Data Context's site
builder writes, its header says "Failed x%" where plan06 published the batch
(warnings quarantine rows, they do not reject), and it renders source values
unescaped. So the page is rendered from GX's result with the project's
autoescaping templates, in Vietnamese, with the status plan06 decided.

Validation runs with result_format COMPLETE (every failing row index, for the
quarantine). The page keeps GX's counts and a short sample of failing values
only, with any run of 9 or more digits masked: the staged table is
pseudonymised already, and this makes sure no citizen-ID-like value (CCCD 12,
CMND 9 digits) can reach a page that is shared without an account.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from great_expectations.core import ExpectationSuiteValidationResult

from tasks.report.datadocs_index import atomic as _atomic
from tasks.report.datadocs_index import write_index
from tasks.validate.run import Verdict

SAMPLE = 20
ID_LIKE = re.compile(r"\d{9,}")
# Row-level lists: long, and the rows are in ops.quarantine already.
DROPPED = (
    "unexpected_list",
    "unexpected_index_list",
    "unexpected_index_query",
    "partial_unexpected_index_list",
    "unexpected_rows",
)


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return ID_LIKE.sub(lambda m: "•" * len(m.group()), value)
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and ID_LIKE.fullmatch(str(value)):
        return "•" * len(str(value))
    return value


def summarised(result: ExpectationSuiteValidationResult) -> ExpectationSuiteValidationResult:
    """A copy with counts and a masked sample of failing values, no row lists."""
    shown = copy.deepcopy(result)
    for item in shown.results:
        details = item.result or {}
        for name in DROPPED:
            details.pop(name, None)
        for name in ("partial_unexpected_list", "partial_unexpected_counts"):
            if name in details:
                details[name] = _mask(details[name][:SAMPLE])
    return shown


def _rows(result: ExpectationSuiteValidationResult, verdict: Verdict | None) -> list[dict]:
    """One row per expectation, in suite order (the verdict's outcomes follow it)."""
    outcomes = verdict.outcomes if verdict else [None] * len(result.results)
    rows = []
    for item, outcome in zip(result.results, outcomes, strict=True):
        config, details = item.expectation_config, item.result or {}
        rows.append(
            {
                "expectation": config.type,
                "column": config.kwargs.get("column")
                or ", ".join(config.kwargs.get("column_list") or []),
                "severity": outcome.severity
                if outcome
                else str(getattr(config.severity, "value", config.severity)),
                "success": bool(item.success),
                "reason": outcome.reason if outcome else (config.meta or {}).get("reason_vi", ""),
                "checked": details.get("element_count"),
                "unexpected": details.get("unexpected_count") or 0,
                "unexpected_rate": (details.get("unexpected_percent") or 0) / 100,
                "sample": [str(v) for v in details.get("partial_unexpected_list") or []],
            }
        )
    return rows


def _status(verdict: Verdict | None, result: ExpectationSuiteValidationResult) -> str:
    """As plan06 decided it (not GX's success %): a critical failure rejects the
    batch; warnings only keep their rows out; info is reported only."""
    if verdict is None:
        return "published" if result.success else "rejected"
    return "rejected" if verdict.rejected else "published"


def render_data_docs(
    result: ExpectationSuiteValidationResult,
    verdict: Verdict | None = None,
    batch: dict[str, str] | None = None,
) -> str:
    """The validation page of one batch, from GX's result, with plan06's template:
    no outside address (GX's page view loads Bootstrap, jQuery, Vega and a logo
    from CDNs and renders values unescaped), values escaped by Jinja."""
    from tasks.report.html import environment

    shown = summarised(result)
    return (
        environment()
        .get_template("datadocs.html.j2")
        .render(
            batch=batch or {"batch_id": "", "dataset": result.suite_name or "", "period": ""},
            status=_status(verdict, result),
            rows=_rows(shown, verdict),
            rows_quarantined=len({f.row_number for f in verdict.row_failures}) if verdict else None,
            generated_at=datetime.now(),
            root="../",  # the page lives in datadocs/, the other reports one folder up
        )
    )


def write_data_docs(
    result: ExpectationSuiteValidationResult,
    reports_dir: Path,
    batch_id: str,
    verdict: Verdict | None = None,
    dataset: str = "",
    period: str = "",
) -> Path:
    """Write the page where the plan report links it (atomic), and the index of all pages."""
    folder = reports_dir / "datadocs"
    batch = {"batch_id": batch_id, "dataset": dataset, "period": period}
    path = _atomic(folder / f"{batch_id}.html", render_data_docs(result, verdict, batch))
    status = _status(verdict, result)
    _atomic(folder / f"{batch_id}.json", json.dumps(batch | {"status": status}))
    write_index(folder)
    return path
