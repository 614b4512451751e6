"""Target statuses and civil-status classes as data: progress.yaml -> core tables.

Checked here (a clear error naming the file), synced in the caller's
transaction on every mart refresh (written only when it differs:
tasks/load/config_rows.py), so a lead's edit of the file is the next refresh's rule.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tasks.load.config_rows import replace_rows
from tasks.settings import PROJECT_ROOT

PROGRESS_FILE = PROJECT_ROOT / "warehouse" / "seeds" / "progress.yaml"
STATUSES = {"met", "on_track", "behind", "overdue", "no_data", "no_trend"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    id: str
    label_vi: str
    label_en: str


class CompletionClass(Label):
    min_share: float = Field(ge=0, le=1)


class Progress(_Strict):
    met_sustained_periods: int = Field(ge=1, le=24)
    target_statuses: list[Label]
    civil_status_classes: list[CompletionClass] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> Progress:
        named = {s.id for s in self.target_statuses}
        if named != STATUSES:
            raise ValueError(f"target_statuses: need exactly {sorted(STATUSES)}")
        if min(c.min_share for c in self.civil_status_classes) != 0:
            raise ValueError("civil_status_classes: the lowest class must start at 0")
        return self


def load_progress(path: Path | None = None) -> Progress:
    path = path or PROGRESS_FILE
    try:
        return Progress.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: invalid progress file: {exc}") from exc


def sync_progress(con: duckdb.DuckDBPyConnection, progress: Progress | None = None) -> bool:
    """core.progress_settings, target_statuses, completion_classes as the file says."""
    progress = progress or load_progress()
    return replace_rows(con, {
        "core.progress_settings": [("met_sustained_periods", progress.met_sustained_periods)],
        "core.target_statuses": [(s.id, s.label_vi, s.label_en) for s in progress.target_statuses],
        "core.completion_classes": [
            (c.id, c.label_vi, c.label_en, c.min_share) for c in progress.civil_status_classes
        ],
    })  # fmt: skip
