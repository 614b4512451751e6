"""Kill the loader with SIGKILL at random points, restart it, check the warehouse.

After each kill: no partial batch (each period in core is exactly the latest
committed batch of it, whole, with its quarantine, marts and outbox message),
no duplicate, no acked batch lost, slice checksums as published. At the end
the loader finishes its round and the warehouse must equal one uninterrupted
round. `python -m tests.crash.harness --kills 60` (make crash-test) prints
the figures, last `kills=N partial=0 duplicates=0 lost=0 checksum_mismatch=0`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.crash.verify import Findings, verify_warehouse

NEVER = 10**6


@dataclass
class CrashReport:
    kills: int = 0
    in_publish: int = 0
    after_commit: int = 0
    found: Findings = field(default_factory=Findings)
    reopen_max_s: float = 0.0
    jobs_committed: int = 0

    def line(self) -> str:
        f = self.found
        return (
            f"kills={self.kills} partial={f.partial} duplicates={f.duplicates}"
            f" lost={f.lost} checksum_mismatch={f.checksum_mismatch}"
        )


def _context() -> multiprocessing.context.BaseContext:
    # fork: each restart inherits the imported loader (Prefect, GX: seconds to
    # import) and costs ~0.1 s. The parent holds no DuckDB connection when it forks.
    import tests.crash.loader  # noqa: F401

    return multiprocessing.get_context("fork")


def _acks(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _start(ctx: object, warehouse: Path, workdir: Path, stop: int, ack: Path) -> object:
    from tests.crash.loader import run_loader

    ready = _acks(ack).count("ready")
    proc = ctx.Process(target=run_loader, args=(warehouse, workdir, stop, ack))  # type: ignore[attr-defined]
    proc.start()
    deadline = time.monotonic() + 120
    while _acks(ack).count("ready") == ready:
        if not proc.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"loader did not start (exit code {proc.exitcode})")
        time.sleep(0.002)
    return proc


def _run_to(ctx: object, warehouse: Path, workdir: Path, stop: int, ack: Path) -> float:
    started = time.monotonic()
    proc = _start(ctx, warehouse, workdir, stop, ack)
    proc.join(600)  # type: ignore[attr-defined]
    if proc.exitcode != 0:  # type: ignore[attr-defined]
        raise RuntimeError(f"loader failed with exit code {proc.exitcode}")  # type: ignore[attr-defined]
    return time.monotonic() - started


def _kill_once(ctx: object, report: CrashReport, paths: tuple, window: float, rng) -> None:
    warehouse, workdir, ack = paths
    proc = _start(ctx, warehouse, workdir, NEVER, ack)
    time.sleep(rng.uniform(0, window))
    proc.kill()  # type: ignore[attr-defined]  # SIGKILL
    proc.join(60)  # type: ignore[attr-defined]
    if proc.exitcode != -9:  # type: ignore[attr-defined]
        raise RuntimeError(f"loader ended by itself (exit code {proc.exitcode}) before the kill")  # type: ignore[attr-defined]
    report.kills += 1
    last = _acks(ack)[-1]
    report.in_publish += last.startswith("start")
    report.after_commit += last.startswith("ack")


def run_crash_test(workdir: Path, kills: int, rows: int = 1500, seed: int = 1) -> CrashReport:
    """Prepare the batches, run the reference round, then `kills` kill-restart cycles."""
    from tests.crash.workload import SLOTS, prepare

    prepare(workdir, rows)
    ctx, report, rng = _context(), CrashReport(), random.Random(seed)
    reference = workdir / "reference.duckdb"
    per_job = _run_to(ctx, reference, workdir, len(SLOTS), workdir / "reference.acks") / len(SLOTS)
    paths = (workdir / "crash.duckdb", workdir, workdir / "crash.acks")
    for _ in range(kills):
        _kill_once(ctx, report, paths, 3 * per_job, rng)
        report.found += verify_warehouse(paths[0], paths[2], workdir, reference, final=False)
    committed = verify_warehouse(paths[0], paths[2], workdir, reference, final=False).last_job
    stop = (committed // len(SLOTS) + 1) * len(SLOTS)
    _run_to(ctx, paths[0], workdir, stop, paths[2])
    final = verify_warehouse(paths[0], paths[2], workdir, reference, final=True)
    report.found += final
    report.jobs_committed, report.reopen_max_s = final.last_job + 1, report.found.reopen_max_s
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--rows", type=int, default=1500, help="dossiers per batch")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plan06-crash-") as tmp:
        report = run_crash_test(Path(tmp), args.kills, args.rows, args.seed)
    print(
        f"kills landing inside a publish: {report.in_publish}; right after a commit or in"
        f" a CHECKPOINT: {report.after_commit}; batches committed: {report.jobs_committed};"
        f" slowest reopen: {report.reopen_max_s:.3f} s"
    )
    print(report.line())


if __name__ == "__main__":
    main()
