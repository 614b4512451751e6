"""One DuckDB writer at a time, across every flow run: a Prefect global concurrency limit.

DuckDB lets one process open the warehouse for writing; a second one fails on
the file lock. Pulls, staging and validation touch only their own batch files
and run in parallel; every step that opens the warehouse first takes the one
slot of WRITER_LIMIT. `plan06 serve` and `plan06 setup` create the limit; with
no limit (the embedded `plan06 run`, one process) the slot is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from prefect.client.orchestration import get_client
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectNotFound

WRITER_LIMIT = "plan06-duckdb-writer"
# A writer holds the slot for seconds (publish, marts, reports); an hour of
# waiting means something is stuck, and the run should fail and say so.
WAIT_SECONDS = 3600


def ensure_writer_limit() -> None:
    """Create (or reset to 1) the global concurrency limit the writers share."""
    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(WRITER_LIMIT, limit=1)
    _limit_exists.cache_clear()


@cache
def _limit_exists() -> bool:
    """Asked once per process: runs are processes, and serve/setup create the
    limit before any run starts. Without the limit, Prefect's acquisition costs
    about two seconds per call only to skip, on every warehouse opening."""
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(WRITER_LIMIT)
        except ObjectNotFound:
            return False
    return True


@contextmanager
def writer_slot() -> Iterator[None]:
    """Hold the warehouse's single writer slot for the duration of the block."""
    if not _limit_exists():
        yield
        return
    with concurrency(WRITER_LIMIT, occupy=1, timeout_seconds=WAIT_SECONDS):
        yield
