"""The Prefect tasks a plan run is made of, each a thin wrapper over tasks/.

Retries live here, on the decorators: transient source errors (429, 5xx,
timeouts) are retried with jitter; permanent ones (401, 404, bad schema) are
not, so a wrong token fails in seconds with a clear message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.plans import PlanSpec
from flows.writer import writer_slot
from tasks.datasets import dataset_kind
from tasks.load.core_tables import ensure_core_table
from tasks.load.marts import marts_are_current, refresh_marts
from tasks.load.plans import area_unit_codes, sync_plan_dimensions
from tasks.load.pseudonym import resolve_key
from tasks.load.publish import BatchInfo, PublishResult, publish_batch
from tasks.load.retention import purge_landing
from tasks.load.stage import stage_batch
from tasks.notify.outbox.queue import queue_plan
from tasks.report.datadocs import write_data_docs
from tasks.settings import Settings
from tasks.sources.http_api import Landed
from tasks.sources.http_api.errors import is_transient
from tasks.sources.pull import pull_source, source_memory
from tasks.sources.state import save_source_state
from tasks.validate.run import Verdict, validate_staged
from tasks.validate.suites import load_suite
from warehouse.db import open_writer, transaction


@contextmanager
def warehouse(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    # DuckDB has one writer: every run takes the writer slot first (flows/writer.py).
    with writer_slot():
        con = open_writer(settings)
        try:
            yield con
        finally:
            con.close()


# Marts scan every row of the plan. Inside the publishing transaction they also
# scan the batch's uncommitted rows, which DuckDB keeps in memory: at 10 M rows
# that took 21 s and over 1.5 GB, against 6 s within 1 GB once committed. So a
# batch bigger than this commits its facts (with its audit row and ledger)
# first and refreshes the marts and outbox in a second transaction right after;
# a crash in between leaves the marts one batch behind, and marts_are_current
# then sees it, so the next refresh (this run's last step, or the next run's)
# rebuilds them.
MARTS_IN_TRANSACTION_MAX_ROWS = 1_000_000


def _retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except Exception as exc:  # the task's own exception, re-raised by result()
        return is_transient(exc)
    return False


@task(cache_policy=NO_CACHE)
def prepare_plan(settings: Settings, plan: PlanSpec) -> list[str]:
    """Refresh the plan's dimensions; returns its area's unit codes."""
    with warehouse(settings) as con:
        sync_plan_dimensions(con, plan)
        return area_unit_codes(con, plan)


@task(
    cache_policy=NO_CACHE,
    task_run_name="pull {dataset_id}",  # the UI shows which dataset, not pull_dataset-9af
    retries=3,
    retry_delay_seconds=[5, 30, 120],
    retry_jitter_factor=0.5,
    retry_condition_fn=_retry_transient,
)
def pull_dataset(
    settings: Settings, plan: PlanSpec, dataset_id: str, period: str, batch_id: str
) -> tuple[Landed, bool]:
    """Pull one dataset of the plan for the period into the raw landing area."""
    dataset = next(d for d in plan.datasets if d.id == dataset_id)
    with warehouse(settings) as con:  # read the slice's watermark or file ledger, let go
        memory = source_memory(con, plan, dataset, period)
    target = settings.landing_dir / f"{batch_id}.parquet"
    landed, simulated = pull_source(plan, dataset, period, target, memory)
    if landed.drift:  # once per batch, in the run's log (the run report)
        get_run_logger().warning(
            "%s/%s: schema drift: source field(s) no mapping reads: %s (map them in the"
            " dataset's `columns` if they matter)",
            plan.id,
            dataset_id,
            ", ".join(landed.drift),
        )
    return landed, simulated


@task(cache_policy=NO_CACHE, task_run_name="validate {dataset_id}")
def stage_and_validate(
    settings: Settings,
    plan: PlanSpec,
    dataset_id: str,
    period: str,
    landed: Landed,
    simulated: bool,
    unit_codes: list[str],
    batch_id: str,
) -> Verdict:
    """Type and pseudonymise the batch, then run its GX suite."""
    dataset = next(d for d in plan.datasets if d.id == dataset_id)
    key = resolve_key(settings.pseudonym_key, demo=simulated)
    staged = settings.staging_dir / f"{batch_id}.duckdb"
    kind = dataset_kind(dataset.kind_id)
    stage_batch(landed.path, staged, key, kind)
    suite = load_suite(settings.expectations_dir, dataset.suite, kind)
    parameters = {"unit_codes": unit_codes, "periods": [period]}
    verdict = validate_staged(staged, "staged", suite, parameters, settings.language)
    write_data_docs(verdict.gx_result, settings.reports_dir, batch_id, verdict, dataset_id, period)
    verdict.gx_result = None  # rendered: do not carry GX's row lists to publish
    return verdict


@task(cache_policy=NO_CACHE, task_run_name="publish {dataset_id}")
def publish(
    settings: Settings,
    plan: PlanSpec,
    dataset_id: str,
    period: str,
    landed: Landed,
    verdict: Verdict,
    batch_id: str,
    started_at: datetime,
) -> PublishResult:
    """Validate-then-publish in one transaction; returns the audit figures."""
    kind = dataset_kind(next(d for d in plan.datasets if d.id == dataset_id).kind_id)
    batch = BatchInfo(
        batch_id,
        plan.id,
        dataset_id,
        period,
        landed.url_path,
        str(flow_run.id) if flow_run.id else None,
        started_at,
        kind.core_table,
        tuple(kind.key_columns),
        landed.replace_slice,
    )
    staged = settings.staging_dir / f"{batch_id}.duckdb"
    slice_ = (batch_id, plan.id, dataset_id, period)

    marts_inside = landed.rows <= MARTS_IN_TRANSACTION_MAX_ROWS

    def then(c: duckdb.DuckDBPyConnection) -> None:
        save_source_state(c, slice_, landed.source_state, published=not verdict.rejected)
        if marts_inside:
            refresh_and_queue(c, settings, plan, period, in_progress=True)

    with warehouse(settings) as con:
        ensure_core_table(con, kind, staged)  # a kind added as YAML: its table, once
        # the source's watermark or file ledger commit with the batch, and, but
        # for a very big batch, the marts and the outbox message: all or nothing
        result = publish_batch(con, staged, batch, verdict, then=then)
        if not marts_inside:
            with transaction(con):
                refresh_and_queue(con, settings, plan, period, in_progress=True)
        purge_landing(con, settings.landing_dir, settings.landing_retention_days)
    return result


@task(cache_policy=NO_CACHE, task_run_name="marts and messages {period}")
def compute_and_queue(settings: Settings, plan: PlanSpec, period: str) -> bool:
    """Refresh the marts unless current, and queue the plan message, in one transaction."""
    with warehouse(settings) as con, transaction(con):
        return refresh_and_queue(con, settings, plan, period, only_if_stale=True)


def refresh_and_queue(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    plan: PlanSpec,
    period: str,
    in_progress: bool = False,
    only_if_stale: bool = False,
) -> bool:
    """Marts and Slack messages (thread root, replies, alerts) in the caller's transaction."""
    if not (only_if_stale and marts_are_current(con, plan.id)):
        refresh_marts(con, plan.id)
    return queue_plan(
        con,
        plan,
        period,
        lang=settings.language,
        flow_run_url=flow_run.ui_url if settings.prefect_ui_url else None,
        reports_url=settings.reports_url,
        in_progress=in_progress,
    )
