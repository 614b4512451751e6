"""Coordination plans as data: one YAML file per plan (flows/plans/), checked by PlanSpec.

A plan file is the whole description of a kế hoạch phối hợp: the partner, the
task groups and their Slack channels, where each dataset comes from, and the
targets. Adding a plan is adding a file; `plan06 plans check` validates them.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from tasks.datasets import dataset_kind
from tasks.plan_lines import dotted_line, line_of
from tasks.settings import PROJECT_ROOT
from tasks.sources.mapping import DatasetMapping
from tasks.sources.specs import SourceSpec, dataset_source_errors

SLUG = r"^[a-z0-9][a-z0-9_-]{0,62}$"
ENV_NAME = r"^[A-Z][A-Z0-9_]{0,127}$"


class PlanFileError(ValueError):
    """A plan file that cannot be used, with the file, field and reason."""


KPIS_FILE = PROJECT_ROOT / "warehouse" / "kpis.yaml"


@cache
def known_kpis() -> dict[str, dict[str, str]]:
    """KPI definitions (warehouse/kpis.yaml): the ids targets may name."""
    with KPIS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Partner(_Strict):
    name: str
    unit_code: str = Field(pattern=r"^\d{2}$", description="GSO province code when signed")


class TaskGroupSpec(_Strict):
    id: str = Field(pattern=SLUG)
    name: str
    slack_channel: str = Field(pattern=r"^[A-Z0-9]{6,20}$")
    slack_usergroup_id: str | None = Field(default=None, pattern=r"^S[A-Z0-9]{5,20}$")


class DatasetSpec(DatasetMapping):
    """One dataset of the plan: its kind, where it comes from, and how it maps onto the kind."""

    id: str = Field(pattern=SLUG)
    kind: str | None = Field(default=None, description="a kind in warehouse/datasets/; default: id")
    source: str
    endpoint: str | None = Field(default=None, pattern=r"^/[A-Za-z0-9_/.-]*$")
    suite: str = Field(pattern=SLUG)

    @property
    def kind_id(self) -> str:
        return self.kind or self.id

    @model_validator(mode="after")
    def _kind_and_mapping(self) -> DatasetSpec:
        kind = dataset_kind(self.kind_id)  # raises with the known kinds
        if errors := self.mapping_errors(kind):
            raise ValueError("; ".join(errors))
        return self


class TargetSpec(_Strict):
    id: str = Field(pattern=SLUG)
    kpi: str
    scope: str = Field(pattern=SLUG, description="a domain of the plan, or 'all'")
    value: float = Field(gt=0, le=1)
    due: date
    task_group: str

    @field_validator("kpi")
    @classmethod
    def _kpi_is_known(cls, kpi: str) -> str:
        if kpi not in known_kpis():
            raise ValueError(f"unknown kpi {kpi!r}; known: {', '.join(known_kpis())}")
        return kpi


class Schedule(_Strict):
    cron: str
    timezone: str = "Asia/Ho_Chi_Minh"


class PlanSpec(_Strict):
    id: str = Field(pattern=SLUG)
    name: str
    partner: Partner
    signed_on: date
    domains: list[str] = Field(min_length=1)
    slack_channel: str = Field(pattern=r"^[A-Z0-9]{6,20}$")
    task_groups: list[TaskGroupSpec] = Field(min_length=1)
    sources: dict[str, SourceSpec]
    datasets: list[DatasetSpec] = Field(min_length=1)
    targets: list[TargetSpec] = Field(min_length=1)
    schedule: Schedule
    active: bool = True
    data_due_day: int | None = Field(
        default=None, ge=1, le=28, description="data of a month is due by this day of the next"
    )

    def reference_errors(self) -> list[str]:
        """Fields that name something the plan does not define, as `path: reason`."""
        errors, groups = [], {g.id for g in self.task_groups}
        for i, t in enumerate(self.targets):
            if t.task_group not in groups:
                errors.append(
                    f"targets.{i}.task_group: unknown task group {t.task_group!r}; "
                    f"defined: {', '.join(sorted(groups))}"
                )
            if t.scope != "all" and t.scope not in self.domains:
                errors.append(
                    f"targets.{i}.scope: {t.scope!r} is not a plan domain "
                    f"({', '.join(self.domains)}) nor 'all'"
                )
        for i, d in enumerate(self.datasets):
            if d.source not in self.sources:
                errors.append(
                    f"datasets.{i}.source: unknown source {d.source!r}; "
                    f"defined: {', '.join(sorted(self.sources))}"
                )
            errors += dataset_source_errors(i, d.endpoint, self.sources.get(d.source))
        return errors

    def task_group(self, group_id: str) -> TaskGroupSpec:
        return next(g for g in self.task_groups if g.id == group_id)


def _describe(error: ValidationError, text: str) -> str:
    lines = []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        lines.append(f"  line {line_of(text, e['loc'])}: {where}: {e['msg']}")
    return "\n".join(lines)


def load_plan(path: Path) -> PlanSpec:
    """Read and check one plan file; PlanFileError names the file and fields."""
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlanFileError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise PlanFileError(f"{path}: expected a mapping of plan fields at the top")
    try:
        plan = PlanSpec.model_validate(raw)
    except ValidationError as exc:
        raise PlanFileError(f"{path}: invalid plan\n{_describe(exc, text)}") from exc
    if errors := plan.reference_errors():
        lines = [f"  line {dotted_line(text, e.split(':')[0])}: {e}" for e in errors]
        raise PlanFileError(f"{path}: invalid plan\n" + "\n".join(lines))
    if plan.id != path.stem:
        raise PlanFileError(f"{path}: id {plan.id!r} must equal the file name {path.stem!r}")
    return plan


def load_plans(plans_dir: Path) -> dict[str, PlanSpec]:
    """Every plan in the folder, by id; fails on the first bad file."""
    files = sorted(plans_dir.glob("*.yaml"))
    if not files:
        raise PlanFileError(f"{plans_dir}: no plan files (*.yaml)")
    for path in files:
        if not re.match(SLUG, path.stem):
            raise PlanFileError(
                f"{path}: a plan file is named <plan id>.yaml, lower-case letters, digits, "
                "'-' and '_'; rename it"
            )
    return {plan.id: plan for plan in map(load_plan, files)}
