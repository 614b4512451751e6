"""Decision 766 scoring as data: warehouse/seeds/scoring_766.yaml -> core tables.

The marts read weights, thresholds and bands from core.score_*; this module
checks the YAML (clear errors naming the entry) and replaces those tables in
the caller's transaction, so a refresh always scores with the file as it is.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tasks.load.config_rows import replace_rows
from tasks.settings import PROJECT_ROOT

SCORING_FILE = PROJECT_ROOT / "warehouse" / "seeds" / "scoring_766.yaml"
_ID = r"^[a-z_][a-z0-9_]{0,62}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Group(_Strict):
    id: str = Field(pattern=_ID)
    label_vi: str
    label_en: str
    decision_points: float = Field(gt=0, le=100)


class Indicator(_Strict):
    id: str = Field(pattern=_ID)
    group: str
    label_vi: str
    label_en: str
    numerator: str = Field(pattern=_ID)
    denominator: str = Field(pattern=_ID)
    max_points: float = Field(gt=0, le=100)
    threshold: float = Field(gt=0, le=1)


class Band(_Strict):
    id: str = Field(pattern=_ID)
    label_vi: str
    label_en: str
    min_score: float = Field(ge=0, le=100)


class Unmeasured(_Strict):
    """A Decision 766 sub-indicator no dossier field gives: points possible only."""

    id: str = Field(pattern=_ID)
    group: str
    label_vi: str
    label_en: str
    max_points: float = Field(gt=0, le=100)
    threshold: float = Field(default=0.80, gt=0, le=1)  # when a dataset gives it


class DossierRules(_Strict):
    """[S] facts of the portal's dossier fields (shared/domain.md), as data."""

    result_statuses: list[str] = Field(min_length=1)
    not_judged_statuses: list[str]
    online_channels: list[int] = Field(min_length=1)
    fully_online_levels: list[str] = Field(min_length=1)

    def rows(self) -> list[list[str]]:
        named = {
            "result_status": self.result_statuses,
            "not_judged_status": self.not_judged_statuses,
            "online_channel": self.online_channels,
            "fully_online_level": self.fully_online_levels,
        }
        return [[rule, str(value)] for rule, values in named.items() for value in values]


class Scoring(_Strict):
    groups: list[Group] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)
    unmeasured: list[Unmeasured] = []
    bands: list[Band] = Field(min_length=1)
    dossier_rules: DossierRules

    @model_validator(mode="after")
    def _references(self) -> Scoring:
        groups = {g.id for g in self.groups}
        for name in ("indicators", "unmeasured"):
            for i, indicator in enumerate(getattr(self, name)):
                if indicator.group not in groups:
                    raise ValueError(f"{name}.{i}.group: unknown group {indicator.group!r}")
        if min(b.min_score for b in self.bands) != 0:
            raise ValueError("bands: the lowest band must start at min_score 0")
        return self


def load_scoring(path: Path | None = None) -> Scoring:
    """Read and check the scoring file; ValueError names the file and entry."""
    path = path or SCORING_FILE
    try:
        return Scoring.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: invalid scoring file: {exc}") from exc


def _check_counts_exist(con: duckdb.DuckDBPyConnection, scoring: Scoring) -> None:
    counts = {
        name
        for (name,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
            " AND schema_name = 'marts' AND table_name = 'dossier_kpis'"
        ).fetchall()
    }
    for i, ind in enumerate(scoring.indicators):
        for field in ("numerator", "denominator"):
            if getattr(ind, field) not in counts:
                raise ValueError(
                    f"{SCORING_FILE}: indicators.{i}.{field}: {getattr(ind, field)!r}"
                    " is not a count of marts.dossier_kpis"
                )


def _weights(indicator: Indicator | Unmeasured) -> tuple[float, float]:
    return indicator.max_points, indicator.threshold


def sync_scoring(con: duckdb.DuckDBPyConnection, scoring: Scoring | None = None) -> bool:
    """core.score_* and core.dossier_rules as the file says (caller's transaction)."""
    scoring = scoring or load_scoring()
    _check_counts_exist(con, scoring)
    return replace_rows(con, {
        "core.score_groups": [
            (g.id, g.label_vi, g.label_en, g.decision_points) for g in scoring.groups
        ],
        "core.score_indicators": [
            (i.id, i.group, i.label_vi, i.label_en, i.numerator, i.denominator, *_weights(i))
            for i in scoring.indicators
        ],
        "core.score_unmeasured": [
            (u.id, u.group, u.label_vi, u.label_en, *_weights(u)) for u in scoring.unmeasured
        ],
        "core.dossier_rules": [tuple(r) for r in scoring.dossier_rules.rows()],
        "core.score_bands": [(b.id, b.label_vi, b.label_en, b.min_score) for b in scoring.bands],
    })  # fmt: skip
