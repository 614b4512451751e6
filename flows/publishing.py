"""Publish a plan's period: every batch, its source state, the marts and the outbox, at once.

One task opens the warehouse once and one transaction writes the plan's
dimensions if its file changed, then, for each batch, its quarantine, core
rows and audit row (tasks/load/publish.py) and what its source must remember
(watermark, file ledger); then the plan's marts, refreshed once for the
period, and its Slack messages in the outbox. The dimensions and marts are the
plan's, not the period's: the task holds the plan's guard (flows/guards.py),
so another period's run of the plan publishes before or after, never between.
A crash at any instant leaves all of it or none of it; on DuckLake a commit
that conflicts with another worker's is rolled back and tried again
(warehouse/db.py).
"""

from __future__ import annotations

from contextlib import ExitStack

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.guards import plan_guard
from flows.steps import Validated
from flows.store import writer
from tasks.load.core_tables import ensure_core_table
from tasks.load.marts import marts_are_current, refresh_marts
from tasks.load.plans import write_plan_dimensions
from tasks.load.publish import Attached, BatchInfo, PublishResult, attach_staged, write_batch
from tasks.load.retention import purge_landing
from tasks.notify.outbox.queue import queue_plan
from tasks.plans import PlanSpec
from tasks.settings import Settings
from tasks.sources.state import save_source_state
from warehouse.db import retry_conflicts

# Marts scan every row of the plan. Inside the publishing transaction they also
# scan the batches' uncommitted rows, which DuckDB keeps in its transaction's
# local storage and reads far slower than committed ones: at 1 M rows the
# marts' one pass over the plan's dossiers took 39 s inside against 7 s once
# committed (load 7, 2 cores), and at 10 M 21 s and over 1.5 GB against 6 s.
# So batches bigger than this in all commit their facts (with audit rows and
# source state) first and refresh the marts and outbox in a second transaction
# right after; a crash in between leaves the marts one step behind, and
# marts_are_current then sees it, so the next refresh (the next run's) rebuilds them.
MARTS_IN_TRANSACTION_MAX_ROWS = 50_000


def batch_info(v: Validated) -> BatchInfo:
    b = v.batch
    return BatchInfo(
        b.batch_id, b.plan.id, b.dataset.id, b.period, v.landed.url_path,
        str(flow_run.id) if flow_run.id else None, b.started_at, b.kind.core_table,
        tuple(b.kind.key_columns), v.landed.replace_slice,
    )  # fmt: skip


@task(cache_policy=NO_CACHE, task_run_name="publish {plan.id} {period}")
def publish_period(
    settings: Settings, plan: PlanSpec, period: str, batches: list[Validated]
) -> list[PublishResult]:
    """Validate-then-publish the period's batches with marts and outbox; the audit figures."""
    rows = sum(v.landed.rows for v in batches)
    marts_inside = rows <= MARTS_IN_TRANSACTION_MAX_ROWS
    attempts = 0

    def write_all(con: duckdb.DuckDBPyConnection) -> list[PublishResult]:
        nonlocal attempts
        attempts += 1
        write_plan_dimensions(con, plan)
        results = []
        for v, stg in zip(batches, attached, strict=True):
            results.append(write_batch(con, stg, batch_info(v), v.verdict, attempts - 1))
            slice_ = (v.batch.batch_id, plan.id, v.batch.dataset.id, period)
            save_source_state(con, slice_, v.landed.source_state, not v.verdict.rejected)
        if marts_inside:
            refresh_and_queue(con, settings, plan, period, only_if_stale=not batches)
        return results

    guard = plan_guard(settings.data_dir / "locks", plan.id)
    with guard, writer(settings) as con, ExitStack() as stack:
        for v in batches:  # a kind added as YAML: its table, once, before the transaction
            ensure_core_table(con, v.batch.kind, v.batch.staged)
        attached: list[Attached] = [
            stack.enter_context(attach_staged(con, v.batch.staged, v.verdict, f"stg{n}"))
            for n, v in enumerate(batches)
        ]
        results, retries = retry_conflicts(write_all, con, what=f"publish {plan.id} {period}")
        stack.close()  # detach the staging files before the next transaction
        if not marts_inside:
            _, more = retry_conflicts(
                lambda c: refresh_and_queue(c, settings, plan, period),
                con,
                what=f"marts {plan.id} {period}",
            )
            retries += more
        purge_landing(con, settings.landing_dir, settings.landing_retention_days)
    if retries:
        get_run_logger().info("%s %s: %d commit conflict(s) retried", plan.id, period, retries)
    return results


def refresh_and_queue(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    plan: PlanSpec,
    period: str,
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
    )
