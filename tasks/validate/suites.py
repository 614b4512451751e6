"""Expectation suites as data: expectations/<name>.json in GX's own format."""

from __future__ import annotations

import json
from pathlib import Path

import great_expectations as gx

from tasks.datasets import DatasetKind
from tasks.validate.baseline import with_baseline


class SuiteError(ValueError):
    """A suite file GX cannot use."""


def load_suite(
    expectations_dir: Path, name: str, kind: DatasetKind | None = None
) -> gx.ExpectationSuite:
    """The suite of expectations/<name>.json, plus the kind's baseline checks (baseline.py)."""
    path = expectations_dir / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return gx.ExpectationSuite(**(with_baseline(data, kind) if kind else data))
    except FileNotFoundError as exc:
        raise SuiteError(f"{path}: no such expectation suite") from exc
    except (ValueError, TypeError) as exc:
        raise SuiteError(f"{path}: not a valid GX expectation suite: {exc}") from exc
