"""SIGKILL the loader while it publishes, restart it, and check the warehouse.

A small count here; `make crash-test` runs the full one (60 kills)."""

from __future__ import annotations

from pathlib import Path

from tests.crash.harness import run_crash_test
from tests.crash.workload import SLOTS


def test_killed_loader_leaves_no_partial_duplicate_or_lost_batch(tmp_path: Path):
    report = run_crash_test(tmp_path, kills=6, rows=300, seed=7)
    assert report.line() == "kills=6 partial=0 duplicates=0 lost=0 checksum_mismatch=0"
    # the loader finished its round after the last kill: every slot published again
    assert report.jobs_committed >= len(SLOTS)
    assert report.jobs_committed % len(SLOTS) == 0
    assert report.reopen_max_s < 5
