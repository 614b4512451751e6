"""Expectation suites as data: expectations/<name>.json in GX's own format."""

from __future__ import annotations

import json
from pathlib import Path

import great_expectations as gx


class SuiteError(ValueError):
    """A suite file GX cannot use."""


def load_suite(expectations_dir: Path, name: str) -> gx.ExpectationSuite:
    path = expectations_dir / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return gx.ExpectationSuite(**data)
    except FileNotFoundError as exc:
        raise SuiteError(f"{path}: no such expectation suite") from exc
    except (ValueError, TypeError) as exc:
        raise SuiteError(f"{path}: not a valid GX expectation suite: {exc}") from exc
