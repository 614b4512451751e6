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
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.plans import PlanSpec
from tasks.datasets import dataset_kind
from tasks.load.marts import refresh_marts
from tasks.load.plans import area_unit_codes, sync_plan_dimensions
from tasks.load.pseudonym import resolve_key
from tasks.load.publish import BatchInfo, PublishResult, publish_batch
from tasks.load.stage import stage_batch
from tasks.notify.digest import build_digest
from tasks.notify.messages import build_plan_message
from tasks.notify.outbox import enqueue
from tasks.settings import Settings
from tasks.sources.http_api import Landed, pull_to_landing, resolve_request
from tasks.sources.http_api.errors import is_transient
from tasks.validate.run import Verdict, validate_staged
from tasks.validate.suites import load_suite
from warehouse.db import open_warehouse, transaction


@contextmanager
def warehouse(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_warehouse(settings.warehouse_path)
    try:
        yield con
    finally:
        con.close()


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
    request, simulated = resolve_request(plan, dataset, period)
    target = settings.landing_dir / f"{batch_id}.parquet"
    return pull_to_landing(request, target, dataset_kind(dataset_id).fields), simulated


@task(cache_policy=NO_CACHE)
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
    stage_batch(landed.path, staged, key, model=dataset_kind(dataset_id).staging_model)
    suite = load_suite(settings.expectations_dir, dataset.suite)
    parameters = {"unit_codes": unit_codes, "periods": [period]}
    return validate_staged(staged, "staged", suite, parameters, settings.language)


@task(cache_policy=NO_CACHE)
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
    kind = dataset_kind(dataset_id)
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
    )
    with warehouse(settings) as con:
        return publish_batch(con, settings.staging_dir / f"{batch_id}.duckdb", batch, verdict)


@task(cache_policy=NO_CACHE)
def compute_and_queue(settings: Settings, plan: PlanSpec, period: str) -> bool:
    """Refresh the marts and queue the plan message, in one transaction."""
    with warehouse(settings) as con, transaction(con):
        refresh_marts(con, plan.id)
        digest = build_digest(
            con, plan, period, flow_run.ui_url if settings.prefect_ui_url else None
        )
        message = build_plan_message(digest, lang=settings.language)
        return enqueue(
            con,
            plan_id=plan.id,
            period=period,
            kind="plan_status",
            channel=plan.slack_channel,
            message=message,
        )
