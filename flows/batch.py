"""One batch of one run: everything about it that is known before the pull, built once.

A batch is a (plan, dataset, period) slice's data as pulled now. Every step of
the run receives this frozen context instead of re-deriving the dataset spec,
its kind, the batch id and the file names from loose arguments.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tasks.datasets import DatasetKind, dataset_kind
from tasks.plans import DatasetSpec, PlanSpec
from tasks.settings import Settings


def new_batch_id(plan_id: str, dataset: str, period: str) -> str:
    return f"{plan_id}__{dataset}__{period}__{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class BatchContext:
    plan: PlanSpec
    dataset: DatasetSpec
    period: str
    batch_id: str
    landing: Path  # the typed landing file; its .raw.parquet sibling holds the source's text
    staged: Path  # the batch's own DuckDB file: staged rows, validated before publish
    started_at: datetime = field(default_factory=datetime.now)

    @classmethod
    def new(cls, settings: Settings, plan: PlanSpec, dataset_id: str, period: str) -> BatchContext:
        dataset = next(d for d in plan.datasets if d.id == dataset_id)
        batch_id = new_batch_id(plan.id, dataset.id, period)
        return cls(
            plan,
            dataset,
            period,
            batch_id,
            settings.landing_dir / f"{batch_id}.parquet",
            settings.staging_dir / f"{batch_id}.duckdb",
        )

    @property
    def kind(self) -> DatasetKind:
        return dataset_kind(self.dataset.kind_id)

    @property
    def slice(self) -> tuple[str, str, str]:
        """(plan, dataset, period): what a publish replaces and a guard protects."""
        return (self.plan.id, self.dataset.id, self.period)

    @property
    def label(self) -> str:
        return f"{self.plan.id}/{self.dataset.id} {self.period}"
