"""`python -m tests.scale` (make scale-test): plan06 on a Prefect work pool, 2 workers, a kill.

Phase 1: the seed plans plus one generated plan per province (--provinces, at
least 10) x --periods, all triggered at once on 2 workers; one worker SIGKILLed
mid-run and replaced; `plan06 watchdog` marks its run Crashed, the harness
reruns it; `plan06 status` called meanwhile. Phase 2: the same runs on a fresh
warehouse with 1 worker (one_worker_s), whose core content phase 1 must equal
(the rerun after the kill gives what one run gives). Prints last:

    workers=2 runs=N completed=N lost=0 duplicates=0 conflicts_retried=K wall_s=..
    one_worker_s=.. speedup=..   (one line)

and exits 1 if anything was lost or duplicated or a run did not complete.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tasks.settings import PROJECT_ROOT
from tests.scale.check import Findings, check_warehouse, core_tables, fingerprint
from tests.scale.plans import write_plans
from tests.scale.runs import PhaseResult, run_phase
from tests.scale.stack import phase_warehouse, remove, started


def last_complete_months(count: int) -> list[str]:
    from flows.periods import last_periods

    return sorted(last_periods(count))


def code_version() -> str:
    done = subprocess.run(["git", "-C", str(PROJECT_ROOT), "describe", "--always", "--dirty"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    return done.stdout.strip() or "unknown"


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["file", "ducklake"], default="ducklake",
                        help="the warehouse the workers share (default: ducklake)")  # fmt: skip
    parser.add_argument("--provinces", type=int, default=10, help="generated plans")
    parser.add_argument("--periods", nargs="*", default=None, help="default: last 2 months")
    parser.add_argument("--scale", type=float, default=0.5, help="simulator volume")
    parser.add_argument(
        "--status-every",
        type=float,
        default=None,
        help="seconds between `plan06 status` calls; 0: none (default 20)",
    )
    parser.add_argument(
        "--one-worker-share",
        type=float,
        default=0.35,
        help="share of the runs phase 2 runs on 1 worker, scaled to all; 0: none",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args()


def share_of(pairs: list[tuple[str, str]], share: float) -> list[tuple[str, str]]:
    """Every k-th run (plans in file order, periods alternating): the same mix, fewer runs."""
    if share <= 0:
        return []
    step = max(1, round(1 / min(share, 1.0)))
    return pairs[::step]


def _times(result: PhaseResult) -> str:
    took = sorted(result.run_seconds.values())
    if not took:
        return "no completed run"
    return (f"{len(took)} completed runs took {statistics.median(took):.1f} s median,"
            f" {max(took):.1f} s max, {sum(took):.0f} s in all")  # fmt: skip


def main() -> None:
    options = _options()
    # SIGTERM (CI's timeout, Ctrl-C's cousin) unwinds through `finally`: nothing left running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    backend = options.backend
    periods = options.periods or last_complete_months(2)
    root = Path(tempfile.mkdtemp(prefix="plan06-scale-"))
    try:
        plan_ids, codes = write_plans(root / "plans", options.provinces)
        pairs = [(plan, period) for plan in plan_ids for period in periods]
        print(f"scale test: backend={backend} code={code_version()} plans={len(plan_ids)}"
              f" periods={','.join(periods)} runs={len(pairs)} in {root}", flush=True)  # fmt: skip
        with started(root, root / "plans", codes, periods, options.scale) as stack:
            probes = 20.0 if options.status_every is None else options.status_every
            two = phase_warehouse(stack, "two-workers", backend)
            phase = run_phase(stack, two, pairs, workers=2, kill=True, status_every_s=probes)
            found = check_warehouse(two, pairs)
            one_s, same = 0.0, None
            if share := share_of(pairs, options.one_worker_share):
                one = phase_warehouse(stack, "one-worker", backend)
                single = run_phase(stack, one, share, workers=1, kill=False)
                one_s = single.wall_s * len(pairs) / len(share)
                print(f"one worker: {len(share)} of the {len(pairs)} runs ({_times(single)})"
                      f" in {single.wall_s:.0f} s wall, x {len(pairs)}/{len(share)} ="
                      f" one_worker_s {one_s:.0f}", flush=True)  # fmt: skip
                tables = core_tables(two)
                same = fingerprint(two, tables, share) == fingerprint(one, tables, share)
        _report(phase, found, one_s, same)
        completed = sum(s.completed for s in phase.slices)
        sys.exit(1 if found.lost or found.duplicates or completed < len(pairs) else 0)
    finally:
        if not options.keep:
            remove(root)


def _report(phase: PhaseResult, found: Findings, one_s: float, same: bool | None) -> None:
    print(f"two workers: {_times(phase)}", flush=True)
    print(f"killed worker 1 with run(s) {', '.join(phase.killed) or 'none'}; reruns={phase.reruns}"
          f" recovered_after_s={[round(s) for s in phase.recovered_after_s]}"
          f" watchdog_calls={len(phase.watchdog_exits)}"
          f" watchdog_failures={sum(rc != 0 for rc in phase.watchdog_exits)}")  # fmt: skip
    calls = phase.status_calls
    answered = [took for _, rc, took in calls if rc == 0]
    print(
        f"plan06 status during the runs: {len(answered)} of {len(calls)} answered (exit 0);"
        f" seconds {[round(t, 1) for _, _, t in calls]}, exits {[rc for _, rc, _ in calls]},"
        f" at {phase.status_clock}"
    )
    if same is not None:
        print(f"phase 1 core content (kill + rerun) equals the clean one-worker phase: {same}")
    failed = [f"{s.plan_id} {s.period}: {list(s.states.values())} {list(s.messages.values())}"
              for s in phase.slices if not s.completed]  # fmt: skip
    for line in failed:
        print(f"not completed: {line}")
    completed = sum(s.completed for s in phase.slices)
    speedup = one_s / phase.wall_s if one_s and phase.wall_s else 0.0
    print(
        f"workers=2 runs={len(phase.slices)} completed={completed} lost={found.lost}"
        f" duplicates={found.duplicates} conflicts_retried={found.conflicts_retried}"
        f" wall_s={phase.wall_s:.0f} one_worker_s={one_s:.0f} speedup={speedup:.2f}"
    )


if __name__ == "__main__":
    main()
