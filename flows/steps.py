"""The Prefect tasks a plan run is made of, each a thin wrapper over tasks/.

A run opens the warehouse a handful of times, whatever its number of datasets:
once to prepare (dimensions, and what each source remembers), once to publish
every batch of the period with the marts and the outbox, once to read for the
reports, and briefly around the Slack calls. Pulls, staging and validation
touch only their batch's own files, so runs of different slices go in parallel.

Retries live here, on the decorators: transient source errors (429, 5xx,
timeouts) are retried with jitter; permanent ones (401, 404, bad schema) are
not, so a wrong token fails in seconds with a clear message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.batch import BatchContext
from flows.store import writer
from tasks.load.plans import area_unit_codes
from tasks.load.pseudonym import resolve_key
from tasks.load.stage import stage_batch
from tasks.plans import PlanSpec
from tasks.report.datadocs import write_data_docs
from tasks.settings import Settings
from tasks.sources.http_api import Landed
from tasks.sources.http_api.errors import is_transient
from tasks.sources.pull import pull_source, source_memory
from tasks.validate.run import Verdict, validate_staged
from tasks.validate.suites import load_suite


@dataclass(frozen=True)
class Prepared:
    """What a run reads before it pulls: the area's unit codes, each source's memory."""

    unit_codes: list[str]
    memories: dict[str, dict]  # dataset id -> watermark or known files


@dataclass(frozen=True)
class Validated:
    """A batch ready to publish: its context, what landed, and GX's verdict."""

    batch: BatchContext
    landed: Landed
    verdict: Verdict


def _retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except Exception as exc:  # the task's own exception, re-raised by result()
        return is_transient(exc)
    return False


@task(cache_policy=NO_CACHE, task_run_name="prepare {plan.id}")
def prepare_plan(settings: Settings, plan: PlanSpec, period: str) -> Prepared:
    """Read the plan's area and each source's memory of the slice.

    The plan's dimensions are written by the publish, under the plan's guard:
    here two periods of the plan run at once. A writer although it only reads:
    on the single file the run's first open is the one that creates and migrates it."""
    with writer(settings) as con:
        memories = {d.id: source_memory(con, plan, d, period) for d in plan.datasets}
        return Prepared(area_unit_codes(con, plan), memories)


@task(
    cache_policy=NO_CACHE,
    task_run_name="pull {batch.dataset.id}",  # the UI shows which dataset, not pull_dataset-9af
    retries=3,
    retry_delay_seconds=[5, 30, 120],
    retry_jitter_factor=0.5,
    retry_condition_fn=_retry_transient,
)
def pull_dataset(batch: BatchContext, memory: dict) -> tuple[Landed, bool]:
    """Pull one dataset of the plan for the period into the raw landing area."""
    landed, simulated = pull_source(batch.plan, batch.dataset, batch.period, batch.landing, memory)
    if landed.drift:  # once per batch, in the run's log (the run report)
        get_run_logger().warning(
            "%s: schema drift: source field(s) no mapping reads: %s (map them in the"
            " dataset's `columns` if they matter)",
            batch.label,
            ", ".join(landed.drift),
        )
    return landed, simulated


@task(cache_policy=NO_CACHE, task_run_name="validate {batch.dataset.id}")
def stage_and_validate(
    settings: Settings, batch: BatchContext, landed: Landed, simulated: bool, unit_codes: list[str]
) -> Validated:
    """Type and pseudonymise the batch, then run its GX suite."""
    key = resolve_key(settings.pseudonym_key, demo=simulated)
    stage_batch(landed.path, batch.staged, key, batch.kind)
    suite = load_suite(settings.expectations_dir, batch.dataset.suite, batch.kind)
    parameters = {"unit_codes": unit_codes, "periods": [batch.period]}
    verdict = validate_staged(batch.staged, "staged", suite, parameters, settings.language)
    write_data_docs(
        verdict.gx_result, settings.reports_dir, batch.batch_id, verdict, batch.dataset.id,
        batch.period,
    )  # fmt: skip
    verdict.gx_result = None  # rendered: do not carry GX's row lists to publish
    return Validated(batch, landed, verdict)
