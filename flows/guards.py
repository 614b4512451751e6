"""One guard per (plan, dataset, period) slice, instead of one national writer slot.

Two runs of the same slice at once (a schedule and a lead's rerun) would pull
from the same watermark and replace each other's rows; runs of different
slices are independent and go in parallel, on any number of workers. A run
holds its slices' guards from before the pull until its publish commits.

With a Prefect server, the guards are global concurrency limits: a fixed set of
GUARD_BUCKETS limits of 1, each slice hashed to one (two slices may share a
bucket now and then, which only makes one wait; a fixed set means no limit is
created per slice and none is left behind). `plan06 setup` and `plan06 serve`
create them. Prefect leases the slots, so a killed worker's slots come free
when the lease ends. Without them (the embedded `plan06 run`), the guards are
file locks under the data folder: the same protection between processes of
one machine, released by the kernel when a process dies.

Two runs of one plan for two periods hold different slices, but both write the
plan's own rows: its dimensions (core.plans, task groups, targets), its marts
(replaced for the whole plan) and their refresh stamp. DuckLake has no keys, so
two such writers that each find no row (a plan's first runs) both insert, and
both commit: the scale test once failed that way, on a scalar subquery over
core.plans. `plan_guard` serialises those writes per plan, from a second,
smaller set of buckets: a run takes it while already holding its slices, and
no one waits for a slice while holding it, so the two sets cannot deadlock.
`outbox_guard` is one more: one drain of the Slack outbox at a time, or two
runs ending together would read the same pending message and both post it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from functools import cache
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectNotFound
from prefect.settings import get_current_settings

GUARD_PREFIX = "plan06-slice-"
GUARD_BUCKETS = 128
PLAN_GUARD_PREFIX = "plan06-plan-"
PLAN_GUARD_BUCKETS = 32  # held for a publish only (seconds): fewer plans collide less
OUTBOX_GUARD = "plan06-outbox"
# Prefect renews a held slot's lease in the background; a SIGKILLed worker's
# slots come free when their lease ends. Prefect's default, 300 s, held every
# other run of those buckets for five minutes after a kill in the scale test.
LEASE_SECONDS = 60.0
RETIRED_LIMITS = ("plan06-duckdb-writer",)  # the one national slot before issue 14
# A run holds its guards for its pull-to-publish (minutes); an hour of waiting
# means the other run is stuck, and this one should fail and say so.
WAIT_SECONDS = 3600.0


class SliceBusyError(RuntimeError):
    """Another run still holds the slice after WAIT_SECONDS."""


def _hashed(prefix: str, buckets: int, key: str) -> str:
    digest = hashlib.sha256(key.encode()).digest()
    return f"{prefix}{int.from_bytes(digest[:4], 'big') % buckets:03d}"


def bucket(plan_id: str, dataset: str, period: str) -> str:
    return _hashed(GUARD_PREFIX, GUARD_BUCKETS, f"{plan_id}/{dataset}/{period}")


def plan_bucket(plan_id: str) -> str:
    return _hashed(PLAN_GUARD_PREFIX, PLAN_GUARD_BUCKETS, plan_id)


def _all_limits() -> list[str]:
    return [
        *(f"{GUARD_PREFIX}{i:03d}" for i in range(GUARD_BUCKETS)),
        *(f"{PLAN_GUARD_PREFIX}{i:03d}" for i in range(PLAN_GUARD_BUCKETS)),
        OUTBOX_GUARD,
    ]


def ensure_guard_limits() -> None:
    """Create the slice, plan and outbox guards (limit 1 each); retire the national writer slot."""
    with get_client(sync_client=True) as client:
        for name in _all_limits():
            client.upsert_global_concurrency_limit_by_name(name, limit=1)
        for name in RETIRED_LIMITS:
            with suppress(ObjectNotFound):
                client.delete_global_concurrency_limit_by_name(name)
    _server_guards.cache_clear()


@cache
def _server_guards() -> bool:
    """Asked once per process (runs are processes; setup creates the limits first).

    Without PREFECT_API_URL the API is the ephemeral one of this process: no one
    else sees its limits, and starting it only to ask would cost seconds."""
    if not get_current_settings().api.url:
        return False
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(f"{GUARD_PREFIX}000")
        except ObjectNotFound:
            return False
        for name in (f"{PLAN_GUARD_PREFIX}000", OUTBOX_GUARD):
            try:
                client.read_global_concurrency_limit_by_name(name)
            except ObjectNotFound:
                # Prefect would let a run through a missing limit: refuse instead
                raise RuntimeError(
                    f"the Prefect server has plan06's slice guards but not {name}: it came"
                    " with this version; run `plan06 setup` once against this server, then"
                    " start the run again"
                ) from None
    return True


@contextmanager
def slice_guard(
    lock_dir: Path, slices: Iterable[tuple[str, str, str]], wait_s: float = WAIT_SECONDS
) -> Iterator[None]:
    """Hold every given slice's guard for the block (all at once: no deadlock)."""
    with _held(lock_dir, sorted({bucket(*s) for s in slices}), wait_s):
        yield


@contextmanager
def plan_guard(lock_dir: Path, plan_id: str, wait_s: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the plan's guard for the block: one writer of the plan's own rows at a time."""
    with _held(lock_dir, [plan_bucket(plan_id)], wait_s):
        yield


@contextmanager
def outbox_guard(lock_dir: Path, wait_s: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the outbox for the block: one drain at a time sends each message once."""
    with _held(lock_dir, [OUTBOX_GUARD], wait_s):
        yield


@contextmanager
def _held(lock_dir: Path, names: list[str], wait_s: float) -> Iterator[None]:
    if not names:
        yield
    elif _server_guards():
        with concurrency(names, occupy=1, timeout_seconds=wait_s, lease_duration=LEASE_SECONDS):
            yield
    else:
        with _file_locks(lock_dir, names, wait_s):
            yield


@contextmanager
def _file_locks(lock_dir: Path, names: list[str], wait_s: float) -> Iterator[None]:
    lock_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    with ExitStack() as held:
        for name in names:  # sorted: two runs never wait on each other in a circle
            fd = os.open(lock_dir / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            held.callback(os.close, fd)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise SliceBusyError(
                            f"another plan06 run has held {name} for {wait_s:.0f} s; it may be"
                            " stuck: check `plan06 status` and the Prefect UI, then rerun"
                        ) from None
                    time.sleep(0.2)
        yield
