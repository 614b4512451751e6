"""GX Data Docs of each validation: GX's own page renderer, one HTML file per batch
under data/reports/datadocs/<batch_id>.html, linked from the plan report.

Validation runs with result_format COMPLETE (every failing row index, for the
quarantine). The page keeps GX's counts and a short sample of failing values
only, with any run of 9 or more digits masked: the staged table is
pseudonymised already, and this makes sure no citizen-ID-like value (CCCD 12,
CMND 9 digits) can reach a page that is shared without an account.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any

from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.render.renderer import ValidationResultsPageRenderer
from great_expectations.render.view import DefaultJinjaPageView

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


def render_data_docs(result: ExpectationSuiteValidationResult) -> str:
    """GX's validation-results page for one batch, as HTML."""
    document = ValidationResultsPageRenderer().render(summarised(result))
    return DefaultJinjaPageView().render(document)


def write_data_docs(
    result: ExpectationSuiteValidationResult, reports_dir: Path, batch_id: str
) -> Path:
    """Write the page where the plan report links it; atomic like the reports."""
    path = reports_dir / "datadocs" / f"{batch_id}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".html.part")
    partial.write_text(render_data_docs(result), encoding="utf-8")
    os.replace(partial, path)
    return path
