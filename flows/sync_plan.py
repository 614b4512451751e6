"""sync_plan: one coordination plan, one period, end to end.

pull -> stage and validate (GX) -> publish (one transaction) -> marts and
outbox -> deliver to Slack. Parameters are a plan id and a period only: no
token or personal data ever becomes a Prefect parameter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from prefect import flow, get_run_logger, tags

from flows.delivery import deliver_outbox, on_run_failed
from flows.periods import Period
from flows.plans import PlanSpec, load_plans
from flows.reporting import record_pull_failure, report_run
from flows.run_labels import plan_tags, tag_this_run
from flows.run_params import PlanId, require_plan
from flows.steps import compute_and_queue, prepare_plan, publish, pull_dataset, stage_and_validate
from tasks import locale as fmt
from tasks.load.publish import PublishResult
from tasks.locale import catalogue
from tasks.report.artifacts import RunProgress
from tasks.settings import Settings, load_settings
from tasks.sources.http_api import Landed


@dataclass(frozen=True)
class DatasetRun:
    dataset: str
    result: PublishResult
    rejection_reasons: list[str]


def new_batch_id(plan_id: str, dataset: str, period: str) -> str:
    return f"{plan_id}__{dataset}__{period}__{uuid.uuid4().hex[:12]}"


@flow(
    name="sync-plan",
    flow_run_name="{plan_id} {period}",
    log_prints=True,
    on_failure=[on_run_failed],  # one Slack alert per (plan, period), never one per retry
    on_crashed=[on_run_failed],
)
def sync_plan(plan_id: PlanId, period: Period, deliver: bool = True) -> list[DatasetRun]:
    """Pull, validate, publish and report one plan for one period (YYYY-MM)."""
    require_plan(plan_id)  # before anything else: an unknown id says which ids exist
    settings = load_settings()
    plan = load_plans(settings.plans_dir)[plan_id]
    tag_this_run(plan_tags(plan))
    with tags(*plan_tags(plan)):  # the task runs carry the plan's tags too
        runs = _run(settings, plan, period)
    if deliver:
        deliver_outbox(settings)
    _log_outcome(plan_id, period, runs)
    return runs


def _run(settings: Settings, plan: PlanSpec, period: str) -> list[DatasetRun]:
    plan_id = plan.id
    unit_codes = prepare_plan(settings, plan)
    progress = RunProgress(plan.id, 3 * len(plan.datasets), f"{plan.name} — {fmt.period(period)}")
    runs = []
    for dataset in plan.datasets:
        name, started_at = catalogue.dataset(dataset.id), datetime.now()
        batch_id = new_batch_id(plan.id, dataset.id, period)
        landed, simulated = _pull(settings, plan, dataset.id, period, batch_id)
        progress.advance(f"{name}: đã lấy dữ liệu")
        if landed.skipped:  # nothing new since the last batch (watermark, file ledger)
            get_run_logger().info("%s %s %s: %s", plan_id, period, dataset.id, landed.skipped)
            progress.advance(f"{name}: không có gì mới")
            progress.advance(f"{name}: không có gì mới")
            continue
        verdict = stage_and_validate(
            settings, plan, dataset.id, period, landed, simulated, unit_codes, batch_id
        )
        progress.advance(f"{name}: đã kiểm tra")
        result = publish(settings, plan, dataset.id, period, landed, verdict, batch_id, started_at)
        progress.advance(f"{name}: {catalogue.status(result.status)}")
        runs.append(DatasetRun(dataset.id, result, verdict.rejection_reasons))
    compute_and_queue(settings, plan, period)
    report_run(settings, plan, period)
    return runs


def _pull(
    settings: Settings, plan: PlanSpec, dataset_id: str, period: str, batch_id: str
) -> tuple[Landed, bool]:
    """Pull; a failure (after the retries) is recorded for the review page, then raised."""
    try:
        return pull_dataset(settings, plan, dataset_id, period, batch_id)
    except Exception as exc:
        record_pull_failure(settings, plan, dataset_id, period, f"{type(exc).__name__}: {exc}")
        raise


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
