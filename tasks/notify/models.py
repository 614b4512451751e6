"""What a Slack message is built from: a plan's standing for one period.

These models are the contract between the warehouse (which fills them from the
marts) and the message builders (which turn them into Block Kit). They carry
counts, rates and ids only: never a CCCD, a name or any other personal data.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class TaskGroup(BaseModel):
    """A tổ công tác: who is told, in which channel, mentioned by user group."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    slack_channel: str
    slack_usergroup_id: str | None = None


class DatasetStatus(BaseModel):
    """How one dataset's batch of the period went."""

    model_config = ConfigDict(frozen=True)

    dataset: str
    status: str  # "published" | "rejected" | "failed" | "missing"
    rows_in: int
    rows_published: int
    rows_quarantined: int
    top_reasons: list[tuple[str, int]] = []  # (readable reason, rows), most first


class KpiProgress(BaseModel):
    """One plan target against the KPI it is measured by."""

    model_config = ConfigDict(frozen=True)

    target_id: str
    kpi: str  # machine name, e.g. "digitisation_rate"
    label_vi: str
    label_en: str
    scope: str  # domain the target covers ("cu_tru", "dat_dai", ...) or "all"
    current: float | None  # 0..1; None when the denominator is empty (N/A)
    previous: float | None  # the period before, for the delta
    target: float  # 0..1
    due_date: date
    on_track: bool
    met: bool
    forecast_date: date | None  # when the trend reaches the target; None if never
    task_group_id: str


class PlanDigest(BaseModel):
    """Everything a plan message for (plan, period) says."""

    model_config = ConfigDict(frozen=True)

    plan_id: str
    plan_name: str
    partner_name: str
    period: str  # "YYYY-MM"
    datasets: list[DatasetStatus]
    kpis: list[KpiProgress]
    task_groups: list[TaskGroup]
    flow_run_url: str | None = None
