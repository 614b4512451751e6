"""sync_plan: one coordination plan, one period, end to end.

pull -> stage and validate (GX) -> publish (one transaction) -> marts and
outbox -> deliver to Slack. Parameters are a plan id and a period only: no
token or personal data ever becomes a Prefect parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from prefect import flow, get_run_logger
from prefect.utilities.annotations import quote

from flows.batch import BatchContext
from flows.delivery import deliver_outbox, on_run_failed
from flows.guards import slice_guard
from flows.periods import Period
from flows.plans import PlanSpec, load_plans
from flows.publishing import publish_period
from flows.reporting import record_pull_failure, report_run
from flows.run_labels import plan_tags, tag_this_run
from flows.run_params import PlanId, require_plan
from flows.steps import Validated, prepare_plan, pull_dataset, stage_and_validate
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
    # The run carries the plan's tags, its task runs do not: a tagged task asks
    # the API for tag concurrency limits as it starts, and on the embedded
    # (SQLite) API that request meets the task run's own write about once a
    # flow ("database is locked", a 503) and waits ~2 s for Prefect's retry.
    tag_this_run(plan_tags(plan))
    runs = _run(settings, plan, period)
    if deliver:
        deliver_outbox(settings)
    _log_outcome(plan_id, period, runs)
    return runs


def _run(settings: Settings, plan: PlanSpec, period: str) -> list[DatasetRun]:
    # Held from before the pull until the publish commits: a second run of the
    # same slices waits; runs of other plans or periods go on in parallel.
    slices = [(plan.id, d.id, period) for d in plan.datasets]
    with slice_guard(settings.data_dir / "locks", slices):
        validated = _pull_and_validate(settings, plan, period)
        # quoted: Prefect would visit every row failure of every verdict to track
        # dependencies (7.7 s for 40 k failures, a 10 M drop's, against 0.01 s)
        results = publish_period(settings, plan, period, quote(validated))
    report_run(settings, plan, period)
    return [
        DatasetRun(v.batch.dataset.id, r, v.verdict.rejection_reasons)
        for v, r in zip(validated, results, strict=True)
    ]


def _pull_and_validate(settings: Settings, plan: PlanSpec, period: str) -> list[Validated]:
    prepared = prepare_plan(settings, plan, period)
    progress = RunProgress(plan.id, 2 * len(plan.datasets), f"{plan.name} — {fmt.period(period)}")
    validated = []
    for dataset in plan.datasets:
        batch, name = (
            BatchContext.new(settings, plan, dataset.id, period),
            catalogue.dataset(dataset.id),
        )
        landed, simulated = _pull(settings, batch, prepared.memories[dataset.id])
        progress.advance(f"{name}: đã lấy dữ liệu")
        if landed.skipped:  # nothing new since the last batch (watermark, file ledger)
            get_run_logger().info("%s: %s", batch.label, landed.skipped)
            progress.advance(f"{name}: không có gì mới")
            continue
        validated.append(
            stage_and_validate(settings, batch, landed, simulated, prepared.unit_codes)
        )
        progress.advance(f"{name}: đã kiểm tra")
    return validated


def _pull(settings: Settings, batch: BatchContext, memory: dict) -> tuple[Landed, bool]:
    """Pull; a failure (after the retries) is recorded for the review page, then raised."""
    try:
        return pull_dataset(batch, memory)
    except Exception as exc:
        plan, dataset, period = batch.plan, batch.dataset.id, batch.period
        record_pull_failure(settings, plan, dataset, period, f"{type(exc).__name__}: {exc}")
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
