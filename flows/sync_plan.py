"""sync_plan: one coordination plan, one period, end to end.

pull -> stage and validate (GX) -> publish (one transaction) -> marts and
outbox -> deliver to Slack. Parameters are a plan id and a period only: no
token or personal data ever becomes a Prefect parameter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from prefect import flow, get_run_logger

from flows.delivery import deliver_outbox
from flows.plans import load_plans
from flows.steps import compute_and_queue, prepare_plan, publish, pull_dataset, stage_and_validate
from tasks.load.publish import PublishResult
from tasks.settings import load_settings


@dataclass(frozen=True)
class DatasetRun:
    dataset: str
    result: PublishResult
    rejection_reasons: list[str]


def new_batch_id(plan_id: str, dataset: str, period: str) -> str:
    return f"{plan_id}__{dataset}__{period}__{uuid.uuid4().hex[:12]}"


@flow(name="sync-plan", flow_run_name="{plan_id} {period}", log_prints=True)
def sync_plan(plan_id: str, period: str, deliver: bool = True) -> list[DatasetRun]:
    """Pull, validate, publish and report one plan for one period (YYYY-MM)."""
    settings = load_settings()
    plan = load_plans(settings.plans_dir)[plan_id]
    unit_codes = prepare_plan(settings, plan)
    runs = []
    for dataset in plan.datasets:
        started_at = datetime.now()
        batch_id = new_batch_id(plan.id, dataset.id, period)
        landed, simulated = pull_dataset(settings, plan, dataset.id, period, batch_id)
        verdict = stage_and_validate(
            settings, plan, dataset.id, period, landed, simulated, unit_codes, batch_id
        )
        result = publish(settings, plan, dataset.id, period, landed, verdict, batch_id, started_at)
        runs.append(DatasetRun(dataset.id, result, verdict.rejection_reasons))
    compute_and_queue(settings, plan, period)
    if deliver:
        deliver_outbox(settings)
    _log_outcome(plan_id, period, runs)
    return runs


def _log_outcome(plan_id: str, period: str, runs: list[DatasetRun]) -> None:
    logger = get_run_logger()
    for run in runs:
        r = run.result
        logger.info(
            "%s %s %s: %s, rows in %d, published %d, quarantined %d",
            plan_id,
            period,
            run.dataset,
            r.status,
            r.rows_in,
            r.rows_published,
            r.rows_quarantined,
        )
        for reason in run.rejection_reasons:
            logger.warning("%s %s %s rejected: %s", plan_id, period, run.dataset, reason)


if __name__ == "__main__":
    import sys

    sync_plan(sys.argv[1], sys.argv[2])
