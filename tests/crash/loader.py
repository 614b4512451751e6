"""The loader process the crash test kills: publishes crash jobs until `stop`.

It resumes after the last batch the warehouse recorded, publishes each job
with the production path (the batch, then the marts and the outbox message in
the same transaction: tasks.load.publish.write_batch, flows.publishing.refresh_and_queue), runs a
CHECKPOINT every third job, and appends to the ack file `start k` before a
job and `ack k` once COMMIT has returned: an acked batch must never be lost.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from flows.publishing import refresh_and_queue
from tasks.load.plans import sync_plan_dimensions
from tasks.load.publish import BatchInfo, attach_staged, write_batch
from tasks.settings import load_settings
from tasks.validate.run import ExpectationOutcome, RowFailure, Verdict
from tests.builders import PLAN_ID, seed_plan
from tests.crash.workload import SLOTS, Slot, batch_id, job_index, staged_path
from warehouse.db import open_warehouse, transaction


def _verdict(slot: Slot) -> Verdict:
    outcome = ExpectationOutcome("expect_x", "status", "warning", False, False, 1, "lý do")
    failure = RowFailure(slot.quarantined_row, "expect_x", "status", "warning", "lý do")
    return Verdict([outcome], [failure])


def _note(ack: int, text: str) -> None:
    # one small write() to an O_APPEND file: whole or absent after a SIGKILL
    os.write(ack, f"{text}\n".encode())


def run_loader(warehouse: Path, workdir: Path, stop: int, ack_path: Path) -> None:
    """Publish jobs from the first unrecorded one up to `stop` (exclusive)."""
    ack = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    con = open_warehouse(warehouse)
    plan, settings = seed_plan(), load_settings()
    sync_plan_dimensions(con, plan)
    (last,) = con.execute("SELECT max(batch_id) FROM ops.batches").fetchone()
    _note(ack, "ready")
    for job in range(job_index(last) + 1 if last else 0, stop):
        slot = SLOTS[job % len(SLOTS)]
        batch = BatchInfo(
            batch_id(job), PLAN_ID, "dossiers", slot.period, "/crash", None,
            datetime.now(), "dossiers", ("dossier_code",),
        )  # fmt: skip
        _note(ack, f"start {job}")
        verdict = _verdict(slot)
        with attach_staged(con, staged_path(workdir, slot), verdict) as stg, transaction(con):
            write_batch(con, stg, batch, verdict)
            refresh_and_queue(con, settings, plan, slot.period)
        _note(ack, f"ack {job}")
        if job % 3 == 2:
            con.execute("CHECKPOINT")
    con.close()
    os.close(ack)
