"""Transactions: all or nothing, and DuckLake's commit conflicts retried.

Two DuckLake writers that touch one table at the same time (even disjoint
slices) race at COMMIT; the loser gets `TransactionException: ... Failed to
commit DuckLake transaction. Transaction conflict - ...` and its transaction
is already gone. Running the whole unit of work again is correct because it
re-reads what it replaces. The single file has one writer: no conflict there.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TypeVar

import duckdb

T = TypeVar("T")
log = logging.getLogger("plan06.warehouse")
# A period's publish rewrites the plan's rows of every mart table, so two workers
# publishing at once conflict often; ten tries with pauses up to 4 s outlast that.
ATTEMPTS = 10
FIRST_PAUSE_S, LONGEST_PAUSE_S = 0.05, 4.0


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, ROLLBACK on any error: all or nothing."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.TransactionException) and "Transaction conflict" in str(exc)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with suppress(duckdb.TransactionException):  # a failed COMMIT already ended it
        con.execute("ROLLBACK")


def retry_conflicts(
    fn: Callable[[duckdb.DuckDBPyConnection], T], con: duckdb.DuckDBPyConnection, *, what: str
) -> tuple[T, int]:
    """fn(con) inside BEGIN/COMMIT; a commit conflict rolls back and runs it again
    after a jittered pause (0.05 s doubling to 4 s, 10 attempts). (result, retries)."""
    pause = FIRST_PAUSE_S
    for attempt in range(1, ATTEMPTS + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            result = fn(con)
            con.execute("COMMIT")
            return result, attempt - 1
        except BaseException as exc:
            _rollback(con)
            if not is_conflict(exc) or attempt == ATTEMPTS:
                raise
            log.warning("%s: DuckLake commit conflict, retry %d of %d", what, attempt, ATTEMPTS - 1)
        time.sleep(random.uniform(pause / 2, pause))
        pause = min(pause * 2, LONGEST_PAUSE_S)
    raise AssertionError("unreachable")  # the loop returns or raises
