"""Publish a validated batch: one DuckDB transaction, all or nothing.

Core rows of the slice are replaced (delete by plan and period, and by key for
dossiers that moved period) and the good rows inserted; failing rows go to
ops.quarantine_log with their reasons, marking the slice's earlier ones
superseded (never deleting them: every batch keeps its own quarantined rows,
and the view ops.quarantine is the current slice); the audit row is written
with them, with the reason a rejected batch was rejected. A rejected batch
changes no core row but still records its audit row and quarantine, so the
lead sees why.

The caller owns the transaction (flows/steps.py publishes every batch of a
plan's period, its source state, marts and outbox in one): `attach_staged`
attaches a batch's staging file before it (DuckDB cannot detach a database a
transaction has touched), `write_batch` writes it inside. `publish_batch` is
the two for a single batch in its own transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from tasks.validate.run import Verdict
from warehouse.db import transaction

# Columns of every core fact that publish fills itself, not from staging.
BATCH_COLUMNS = ("plan_id", "period", "batch_id")


@dataclass(frozen=True)
class BatchInfo:
    batch_id: str
    plan_id: str
    dataset: str
    period: str
    source_url_path: str
    flow_run_id: str | None
    started_at: datetime
    core_table: str
    natural_key: tuple[str, ...]
    replace_slice: bool = True  # False: an incremental batch upserts its keys only


@dataclass(frozen=True)
class PublishResult:
    status: str
    rows_in: int
    rows_published: int
    rows_quarantined: int
    checksum: str


def _failures_table(verdict: Verdict) -> pa.Table:
    rows = verdict.row_failures
    return pa.table(
        {
            "row_number": pa.array([f.row_number for f in rows], pa.int64()),
            "expectation": pa.array([f.expectation for f in rows], pa.string()),
            "column_name": pa.array([f.column for f in rows], pa.string()),
            "severity": pa.array([f.severity for f in rows], pa.string()),
            "reason": pa.array([f.reason for f in rows], pa.string()),
        }
    )


@dataclass(frozen=True)
class Attached:
    """A batch's staging file attached to the warehouse connection, and its figures."""

    alias: str  # <alias>.staged is the batch's staged table; <alias>_failures its failures
    rows_in: int
    checksum: str

    @property
    def staged(self) -> str:
        return f"{self.alias}.staged"

    @property
    def failures(self) -> str:
        return f"{self.alias}_failures"


def _key_expression(batch: BatchInfo, alias: str) -> str:
    return " || '|' || ".join(f"coalesce({alias}.{c}::VARCHAR, '')" for c in batch.natural_key)


def _write_quarantine(con: duckdb.DuckDBPyConnection, batch: BatchInfo, stg: Attached) -> int:
    slice_ = [batch.plan_id, batch.dataset, batch.period]
    key = _key_expression(batch, "d")
    # an incremental batch supersedes the quarantine of its own keys only
    only_keys = f" AND natural_key IN (SELECT {key} FROM {stg.staged} AS d)"
    only_keys = "" if batch.replace_slice else only_keys
    # history is kept (issue 16): the earlier rows are marked, not deleted
    con.execute(
        "UPDATE ops.quarantine_log SET superseded_by = ? WHERE plan_id = ? AND dataset = ?"
        " AND period = ? AND superseded_by IS NULL" + only_keys,
        [batch.batch_id, *slice_],
    )
    con.execute(
        f"INSERT INTO ops.quarantine_log SELECT ?, ?, ?, ?, f.row_number, {key},"
        " f.expectation, coalesce(f.column_name, ''), f.severity, f.reason, to_json(d), NULL"
        f" FROM {stg.failures} AS f JOIN {stg.staged} AS d USING (row_number)",
        [batch.batch_id, *slice_],
    )
    (rows,) = con.execute(f"SELECT count(DISTINCT row_number) FROM {stg.failures}").fetchone()
    return int(rows)


def _core_columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
        " AND schema_name = 'core' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    if not rows:
        raise ValueError(f"core.{table} does not exist: is its migration missing?")
    return ", ".join(name for (name,) in rows if name not in BATCH_COLUMNS)


class RepeatedKeyError(ValueError):
    """The batch's good rows repeat a natural key: nothing of the batch is published."""


def _replace_slice(con: duckdb.DuckDBPyConnection, batch: BatchInfo, stg: Attached) -> int:
    """Delete the plan's period slice and any row the batch re-keys, then insert.

    Core facts have no PRIMARY KEY (migration 0008: its index cost more than
    the rest of publishing): the key stays unique because the batch's rows are
    checked unique here and every core row with one of their keys is deleted.
    """
    table, columns = f"core.{batch.core_table}", _core_columns(con, batch.core_table)
    key = ", ".join(batch.natural_key)
    good = f"(SELECT * FROM {stg.staged} ANTI JOIN {stg.failures} USING (row_number))"
    con.execute(
        f"DELETE FROM {table} WHERE plan_id = ? AND ((? AND period = ?)"
        f" OR ({key}) IN (SELECT ({key}) FROM {good}))",
        [batch.plan_id, batch.replace_slice, batch.period],
    )
    # checked inside the transaction: raising rolls the delete back too
    (repeated,) = con.execute(f"SELECT count(*) - count(DISTINCT ({key})) FROM {good}").fetchone()
    if repeated:
        raise RepeatedKeyError(
            f"{table}: {repeated} good row(s) of batch {batch.batch_id} repeat a ({key}) of the"
            " batch; validation should have quarantined all but the latest copy (is the suite's"
            " duplicate check missing?). Nothing was published."
        )
    (rows,) = con.execute(
        f"INSERT INTO {table} (plan_id, period, batch_id, {columns})"
        f" SELECT ?, ?, ?, {columns} FROM {good}",
        [batch.plan_id, batch.period, batch.batch_id],
    ).fetchone()
    return int(rows)


def _checksum(con: duckdb.DuckDBPyConnection, alias: str) -> tuple[int, str]:
    # Order-independent and cheap at any size; equal content, equal checksum.
    rows, total = con.execute(
        "SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)"
        f" FROM (SELECT * EXCLUDE (row_number) FROM {alias}.staged) AS t"
    ).fetchone()
    return int(rows), f"{int(total) % 2**64:016x}"


def _quote(path: Path) -> str:
    # ATTACH takes no parameters; the path is ours, but quote it anyway.
    return str(path).replace("'", "''")


@contextmanager
def attach_staged(
    con: duckdb.DuckDBPyConnection, staged: Path, verdict: Verdict, alias: str = "stg"
) -> Iterator[Attached]:
    """Attach the batch's staging file (read-only) and its failures for the block."""
    con.execute(f"ATTACH '{_quote(staged)}' AS {alias} (READ_ONLY)")
    con.register(f"{alias}_failures", _failures_table(verdict))
    try:
        yield Attached(alias, *_checksum(con, alias))
    finally:
        con.unregister(f"{alias}_failures")
        con.execute(f"DETACH {alias}")


def write_batch(
    con: duckdb.DuckDBPyConnection,
    stg: Attached,
    batch: BatchInfo,
    verdict: Verdict,
    commit_retries: int = 0,
) -> PublishResult:
    """Quarantine, core rows and the audit row of one batch, in the caller's transaction.

    `commit_retries`: how many DuckLake commits of it conflicted before this one."""
    quarantined = _write_quarantine(con, batch, stg)
    published = 0 if verdict.rejected else _replace_slice(con, batch, stg)
    status = "rejected" if verdict.rejected else "published"
    con.execute(
        "INSERT INTO ops.batches (batch_id, plan_id, dataset, period, status, rows_in,"
        " rows_published, rows_quarantined, checksum, source_url_path, flow_run_id, validation,"
        " started_at, finished_at, reason, commit_retries)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_localtimestamp(), ?, ?)",
        [
            batch.batch_id,
            batch.plan_id,
            batch.dataset,
            batch.period,
            status,
            stg.rows_in,
            published,
            quarantined,
            stg.checksum,
            batch.source_url_path,
            batch.flow_run_id,
            json.dumps(verdict.summary(), ensure_ascii=False),
            batch.started_at,
            "; ".join(verdict.rejection_reasons) or None,
            commit_retries,
        ],
    )
    return PublishResult(status, stg.rows_in, published, quarantined, stg.checksum)


def publish_batch(
    con: duckdb.DuckDBPyConnection, staged: Path, batch: BatchInfo, verdict: Verdict
) -> PublishResult:
    """One batch in its own transaction: all of it or none of it."""
    with attach_staged(con, staged, verdict) as stg, transaction(con):
        return write_batch(con, stg, batch, verdict)
