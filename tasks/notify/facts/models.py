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
    batch_id: str | None = None
    report_url: str | None = None  # the batch's validation report, when published online


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
    status: str | None = None  # marts.target_progress: met, on_track, behind, overdue, ...


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
    in_progress: bool = False  # the run is still going: datasets not seen yet are "waiting"
    data_due: date | None = None  # by the plan's calendar (data_due_day of the next month)


class Alert(BaseModel):
    """One thing that went wrong for (plan, period): said once, broadcast once."""

    model_config = ConfigDict(frozen=True)

    what: str  # "rejected" | "failed" | "crashed" | "late"
    plan_id: str
    plan_name: str
    partner_name: str
    period: str
    dataset: str | None = None
    reasons: list[str] = []  # plain words: failed checks, or the run's error
    due: date | None = None
    today: date | None = None
    task_groups: list[TaskGroup] = []  # mentioned when data is late or rejected
    flow_run_url: str | None = None
    report_url: str | None = None


class PlanStanding(BaseModel):
    """A plan's targets at its latest period, with each target's history for the chart."""

    model_config = ConfigDict(frozen=True)

    plan_id: str
    plan_name: str
    period: str
    kpis: list[KpiProgress]
    history: dict[str, list[tuple[str, float | None]]]  # target_id -> [(period, value)]


class LeadsDigest(BaseModel):
    """All plans on one page, for the working-group leads, once a week."""

    model_config = ConfigDict(frozen=True)

    week: str  # ISO week, "2026-W48"
    plans: list[PlanStanding]
