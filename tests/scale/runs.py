"""One phase of the scale test: trigger every (plan, period) at once and see them through.

Runs are flow runs of the `sync-plan/rerun` deployment. With `kill=True`, the
first worker is SIGKILLed (with its flow-run processes) once a run of it has
been Running for `kill_after_s`, and a replacement worker starts. The harness
then runs `plan06 watchdog` every heartbeat (as the watchdog deployment would),
which marks the dead run Crashed; the harness reruns each Crashed run once
with the same parameters (no Prefect retry policy: a Crashed flow run is not
retried by Prefect). `plan06 status` is called every `status_every_s`.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from prefect.client.orchestration import SyncPrefectClient

from tests.scale.services import BIN, flow_run_ids
from tests.scale.stack import DEPLOYMENT, Stack, Warehouse, start_worker

FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
PENDING_STUCK_S = 120  # a run a dead worker claimed but never started
MAX_RUNS = 3  # a slice's first run and at most two reruns after crashes


@dataclass
class Slice:
    plan_id: str
    period: str
    run_ids: list[str] = field(default_factory=list)
    states: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)  # run id -> its state's message

    @property
    def completed(self) -> bool:
        return "COMPLETED" in self.states.values()

    @property
    def last_state(self) -> str:
        return self.states.get(self.run_ids[-1], "SCHEDULED")

    @property
    def settled(self) -> bool:
        """Completed, failed, or crashed with no rerun left (MAX_RUNS per slice)."""
        last = self.last_state
        return (
            self.completed
            or last in ("FAILED", "CANCELLED")
            or (last == "CRASHED" and len(self.run_ids) >= MAX_RUNS)
        )


@dataclass
class PhaseResult:
    workers: int
    slices: list[Slice]
    wall_s: float
    killed: list[str] = field(default_factory=list)
    recovered_after_s: list[float] = field(default_factory=list)
    reruns: int = 0
    watchdog_exits: list[int] = field(default_factory=list)
    status_calls: list[tuple[float, int, float]] = field(default_factory=list)  # at, rc, took
    status_clock: list[str] = field(default_factory=list)
    run_seconds: dict[str, float] = field(default_factory=dict)  # completed run -> duration


class StatusProbe(threading.Thread):
    """`plan06 status` every few seconds while the runs go: did it answer, how fast."""

    def __init__(self, env: dict[str, str], every_s: float, started: float) -> None:
        super().__init__(daemon=True)
        self.env, self.every_s, self.started = env, every_s, started
        self.calls: list[tuple[float, int, float]] = []
        self.clock: list[str] = []  # when each call started, to match against worker logs
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every_s):
            began = time.monotonic()
            rc = subprocess.run([str(BIN / "plan06"), "status"], env=self.env, check=False,
                                capture_output=True, timeout=900).returncode  # fmt: skip
            self.calls.append((began - self.started, rc, time.monotonic() - began))
            self.clock.append(time.strftime("%H:%M:%S"))


@contextmanager
def _client(env: dict[str, str]) -> Iterator[SyncPrefectClient]:
    """A client of the stack's server, whatever settings prefect was imported with."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    updates = {PREFECT_API_URL: env["PREFECT_API_URL"],
               PREFECT_API_AUTH_STRING: env["PREFECT_API_AUTH_STRING"]}  # fmt: skip
    with temporary_settings(updates=updates), get_client(sync_client=True) as client:
        yield client


def _trigger(client, deployment_id, plan_id: str, period: str) -> str:
    run = client.create_flow_run_from_deployment(
        deployment_id, parameters={"plan_id": plan_id, "period": period}
    )
    return str(run.id)


def _refresh(client, slices: list[Slice]) -> dict[str, object]:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    ids = [r for s in slices for r in s.run_ids]
    runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids)),
                                 limit=len(ids) + 10)  # fmt: skip
    by_id = {str(r.id): r for r in runs}
    for s in slices:
        s.states = {r: by_id[r].state_type.value for r in s.run_ids if r in by_id}
        # why a run failed, in the CI log itself (the harness's folder is removed)
        s.messages = {r: (by_id[r].state.message or "") for r in s.run_ids
                      if r in by_id and by_id[r].state is not None}  # fmt: skip
    return by_id


def run_phase(stack: Stack, warehouse: Warehouse, pairs: list[tuple[str, str]], workers: int,
              kill: bool, kill_after_s: float = 8, status_every_s: float = 0,
              timeout_s: float = 2400) -> PhaseResult:  # fmt: skip
    """Start the workers, trigger every pair, wait until each has completed or failed."""
    procs = [start_worker(stack, warehouse, f"{warehouse.name}-w{i + 1}", 1)
             for i in range(workers)]  # fmt: skip
    with _client(warehouse.env) as client:
        deployment = client.read_deployment_by_name(DEPLOYMENT)
        started = time.monotonic()
        slices = [Slice(p, period, [_trigger(client, deployment.id, p, period)])
                  for p, period in pairs]  # fmt: skip
        result = PhaseResult(workers, slices, 0.0)
        probe = StatusProbe(warehouse.env, status_every_s, started) if status_every_s else None
        if probe:
            probe.start()
        killed_at, last_watchdog, victim = 0.0, 0.0, procs[0] if kill else None
        first_seen: dict[str, float] = {}
        while not all(s.settled for s in slices):
            if time.monotonic() - started > timeout_s:
                break
            time.sleep(2)
            runs = _refresh(client, slices)
            now = time.monotonic()
            targets = _running_long(runs, flow_run_ids(victim.pid), kill_after_s) if victim else []
            if victim and targets:
                stack.procs.kill_tree(victim)  # the worker and its flow-run processes
                victim.wait(10)
                killed_at, victim, result.killed = now, None, targets
                procs.append(start_worker(stack, warehouse, f"{warehouse.name}-w3", 1))
            dead_running = any(s.states.get(r) == "RUNNING" for s in slices for r in result.killed)
            if killed_at and dead_running and now - last_watchdog >= 30:
                last_watchdog = now  # as the watchdog deployment would, every heartbeat
                result.watchdog_exits.append(_watchdog(warehouse))
            for s in slices:
                _unstick_pending(client, s, first_seen, now)
                if s.last_state == "CRASHED" and len(s.run_ids) < MAX_RUNS:  # same slice again
                    s.run_ids.append(_trigger(client, deployment.id, s.plan_id, s.period))
                    result.reruns += 1
                    if killed_at:
                        result.recovered_after_s.append(now - killed_at)
        result.wall_s = time.monotonic() - started
        runs = _refresh(client, slices)
        for run_id, flow_run in runs.items():
            if flow_run.state_type.value == "COMPLETED" and flow_run.total_run_time:
                result.run_seconds[run_id] = flow_run.total_run_time.total_seconds()
    if probe:
        probe.done.set()
        probe.join(900)
        result.status_calls, result.status_clock = probe.calls, probe.clock
    for proc in procs:
        stack.procs.stop(proc)
    return result


def _unstick_pending(client, s: Slice, first_seen: dict[str, float], now: float) -> None:
    """A run a dead worker claimed (Pending) but never started: Crashed, so it is rerun."""
    from prefect.states import Crashed

    for run_id, state in s.states.items():
        since = first_seen.setdefault(f"{run_id}:{state}", now)
        if state == "PENDING" and now - since > PENDING_STUCK_S:
            message = "claimed by a worker that died before starting it"
            client.set_flow_run_state(run_id, Crashed(message=message), force=True)


def _watchdog(warehouse: Warehouse) -> int:
    """`plan06 watchdog` once: runs silent for two heartbeats are marked Crashed."""
    args = [str(BIN / "plan06"), "watchdog", "--stale-after", "60"]
    return subprocess.run(args, env=warehouse.env, capture_output=True, check=False,
                          timeout=900).returncode  # fmt: skip


def _running_long(runs: dict, ids: list[str], after_s: float) -> list[str]:
    """The worker's runs that have been Running for `after_s`: the moment to kill it."""
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    running = [runs[i] for i in ids if i in runs and runs[i].state_type.value == "RUNNING"]
    if any(r.start_time and (now - r.start_time).total_seconds() >= after_s for r in running):
        return [str(r.id) for r in running]
    return []
