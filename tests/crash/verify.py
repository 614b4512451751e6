"""What the crash test checks in the warehouse after each kill (see harness.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from tests.crash.workload import (
    SLOTS,
    batch_id,
    expected_slice_checksums,
    job_index,
    slice_checksums,
    warehouse_checksums,
)

DUPLICATES_SQL = """
SELECT (SELECT count(*) - count(DISTINCT (plan_id, dossier_code)) FROM core.dossiers)
     + (SELECT count(*) - count(DISTINCT (batch_id, row_number, expectation, column_name))
        FROM ops.quarantine)
     + (SELECT count(*) - count(DISTINCT message_key) FROM ops.outbox)
     + (SELECT count(*) - count(DISTINCT batch_id) FROM ops.batches)
"""
TRACE_SQL = """
SELECT period, 'marts', list_sort(list_distinct(flatten(list(batch_ids))))
FROM marts.dossier_kpis GROUP BY period
UNION ALL
SELECT period, 'quarantine', list_sort(list(DISTINCT batch_id)) FROM ops.quarantine GROUP BY period
UNION ALL
SELECT period, 'outbox', [] FROM ops.outbox
"""


@dataclass
class Findings:
    partial: int = 0
    duplicates: int = 0
    lost: int = 0
    checksum_mismatch: int = 0
    reopen_max_s: float = 0.0
    last_job: int = -1

    def __add__(self, other: Findings) -> Findings:
        return Findings(
            self.partial + other.partial,
            self.duplicates + other.duplicates,
            self.lost + other.lost,
            self.checksum_mismatch + other.checksum_mismatch,
            max(self.reopen_max_s, other.reopen_max_s),
            max(self.last_job, other.last_job),
        )


@cache
def _expected(workdir: Path, reference: Path) -> tuple[dict, dict]:
    con = duckdb.connect(str(reference), read_only=True)
    try:
        return expected_slice_checksums(con, workdir), warehouse_checksums(con)
    finally:
        con.close()


def _acked(ack_path: Path) -> set[str]:
    lines = ack_path.read_text().splitlines()
    return {batch_id(int(line.split()[1])) for line in lines if line.startswith("ack ")}


def _latest_per_period(committed: list[str]) -> dict[str, int]:
    latest: dict[str, int] = {}
    for job in sorted(job_index(b) for b in committed):
        latest[SLOTS[job % len(SLOTS)].period] = job
    return latest


def _check_slices(con: duckdb.DuckDBPyConnection, committed: list[str], expected: dict) -> Findings:
    found, slices = Findings(), slice_checksums(con)
    traces: dict[tuple[str, str], list] = {}
    for period, part, ids in con.execute(TRACE_SQL).fetchall():
        traces[period, part] = ids
    for period, job in _latest_per_period(committed).items():
        core = slices.get(period)
        whole = core is not None and core[0] == [batch_id(job)]
        traced = all(
            traces.get((period, part)) == ([] if part == "outbox" else [batch_id(job)])
            for part in ("marts", "quarantine", "outbox")
        )
        found.partial += not (whole and traced)
        if whole and core[1:] != expected[SLOTS[job % len(SLOTS)].name]:
            found.checksum_mismatch += 1
    found.partial += len(set(slices) - set(_latest_per_period(committed)))
    return found


def verify_warehouse(
    warehouse: Path, ack_path: Path, workdir: Path, reference: Path, final: bool
) -> Findings:
    """Reopen the warehouse (WAL replay) and count every broken promise."""
    expected_slices, expected_whole = _expected(workdir, reference)
    started = time.perf_counter()
    con = duckdb.connect(str(warehouse))
    try:
        reopen = time.perf_counter() - started
        committed = [b for (b,) in con.execute("SELECT batch_id FROM ops.batches").fetchall()]
        found = _check_slices(con, committed, expected_slices)
        found.duplicates = con.execute(DUPLICATES_SQL).fetchone()[0]
        found.lost = len(_acked(ack_path) - set(committed))
        found.reopen_max_s = reopen
        found.last_job = max((job_index(b) for b in committed), default=-1)
        if final:
            whole = warehouse_checksums(con)
            found.checksum_mismatch += sum(whole[k] != v for k, v in expected_whole.items())
        return found
    finally:
        con.close()
