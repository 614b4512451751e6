"""Concurrent writers and a read during a write, in separate processes (issue 16, item 7).

DuckDB gives one process the file: while a run publishes, another writer and even a
reader are refused. What users must see: a clear message naming the cause, never a
traceback, nothing half-written, and every batch exactly once when both are done.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.db import WarehouseLockedError, open_warehouse, transaction

BATCH = (
    "INSERT INTO ops.batches BY NAME SELECT ? AS batch_id, 'p' AS plan_id, 'dossiers' AS dataset,"
    " '2026-10' AS period, 'published' AS status, 1 AS rows_in, 1 AS rows_published,"
    " 0 AS rows_quarantined, 'x' AS checksum, now() AS started_at, now() AS finished_at"
)
# A publishing run: its batch row written, the transaction open until stdin closes.
WRITER = f"""
import sys
from pathlib import Path
from warehouse.db import open_warehouse
con = open_warehouse(Path(sys.argv[1]))
con.execute("BEGIN TRANSACTION")
con.execute({BATCH!r}, ["from-writer"])
print("holding", flush=True)
sys.stdin.read()
con.execute("COMMIT")
con.close()
"""


@pytest.fixture
def writer(tmp_path: Path):
    path = tmp_path / "data" / "plan06.duckdb"
    open_warehouse(path).close()
    env = os.environ | {"PYTHONPATH": str(Path.cwd())}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)  # fmt: skip
    assert proc.stdout.readline().strip() == "holding"
    yield proc, path
    proc.kill()
    proc.wait()


def test_a_read_during_a_write_says_why_and_leaks_no_traceback(writer):
    _, path = writer
    env = os.environ | {"PLAN06_DATA_DIR": str(path.parent), "PLAN06_LANGUAGE": "en"}
    status = subprocess.run([str(Path(sys.executable).parent / "plan06"), "status", "--json",
                             "--wait", "2"],
                            capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert status.returncode == 1
    assert "held by another process for 2 s (DuckDB allows one writer)" in status.stderr
    assert "Traceback" not in status.stderr + status.stdout


def test_a_second_writer_is_refused_then_both_batches_land_once(writer):
    proc, path = writer
    with pytest.raises(WarehouseLockedError, match="DuckDB allows one writer"):
        open_warehouse(path)
    proc.stdin.close()  # the first run commits and lets go
    assert proc.wait(timeout=60) == 0
    con = open_warehouse(path)
    try:
        with transaction(con):
            con.execute(BATCH, ["from-second"])
        batches = con.execute("SELECT batch_id FROM ops.batches ORDER BY 1").fetchall()
    finally:
        con.close()
    assert batches == [("from-second",), ("from-writer",)]
