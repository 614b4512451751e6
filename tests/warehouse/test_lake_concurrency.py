"""Two DuckLake writers at once both land exactly (conflicts retried); a reader
reads the last committed snapshot while a writer holds a transaction open."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tasks.settings import load_settings
from warehouse.db import open_reader, open_writer, setup_warehouse

ROUNDS = 20
# One writer process: replaces its own plan's slice of ops.watermarks 20 times
# (delete + insert, as publishing does), starting when the go file appears.
WRITER = f"""
import json, sys, time
from pathlib import Path
from tasks.settings import load_settings
from warehouse.db import open_writer, retry_conflicts

plan, go = sys.argv[1], Path(sys.argv[2])
con = open_writer(load_settings())
while not go.exists():
    time.sleep(0.01)

def replace(con, round_):
    con.execute("DELETE FROM ops.watermarks WHERE plan_id = ?", [plan])
    con.execute("INSERT INTO ops.watermarks SELECT ?, 'dossiers', 'p' || range, ?, 'b',"
                " current_localtimestamp() FROM range(10)", [plan, str(round_)])

retries = 0
for round_ in range({ROUNDS}):
    _, tried = retry_conflicts(lambda c: replace(c, round_), con, what=plan + " slice")
    retries += tried
print(json.dumps({{"retries": retries}}))
"""


def test_two_writers_replacing_their_slices_both_land_exactly(lake_env, tmp_path: Path):
    settings = load_settings()
    setup_warehouse(settings)
    go = tmp_path / "go"
    env = os.environ | {"PYTHONPATH": str(Path.cwd())}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, plan, str(go)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for plan in ("plan-a", "plan-b")]  # fmt: skip
    time.sleep(2)  # both attached and waiting
    go.touch()
    outcomes = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in outcomes]
    retries = [json.loads(out)["retries"] for out, _ in outcomes]
    con = open_reader(settings, 1)
    try:
        slices = con.execute(
            "SELECT plan_id, count(*), min(watermark), max(watermark) FROM ops.watermarks"
            " GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    last = str(ROUNDS - 1)
    assert slices == [("plan-a", 10, last, last), ("plan-b", 10, last, last)]
    # DuckLake conflicts on any two commits touching one table: the retries did happen
    assert sum(retries) >= 1, retries
    assert sum(err.count("DuckLake commit conflict, retry") for _, err in outcomes) == sum(retries)


def test_a_reader_sees_the_last_commit_while_a_writer_holds_a_transaction(lake_env):
    settings = load_settings()
    setup_warehouse(settings)
    writer = open_writer(settings)
    count = "SELECT count(*) FROM ops.watermarks"
    try:
        writer.execute("INSERT INTO ops.watermarks VALUES ('p', 'd', '2026-10', 'w1', 'b1', now())")
        writer.execute("BEGIN TRANSACTION")
        writer.execute("DELETE FROM ops.watermarks")
        writer.execute("INSERT INTO ops.watermarks VALUES ('p', 'd', '2026-11', 'w2', 'b2', now())")
        started = time.monotonic()
        reader = open_reader(settings, 0)
        try:
            assert reader.execute("SELECT period FROM ops.watermarks").fetchall() == [("2026-10",)]
        finally:
            reader.close()
        assert time.monotonic() - started < 10  # opened and read at once, not after a wait
        writer.execute("COMMIT")
    finally:
        writer.close()
    reader = open_reader(settings, 0)
    try:
        assert reader.execute("SELECT period FROM ops.watermarks").fetchall() == [("2026-11",)]
        assert reader.execute(count).fetchone() == (1,)
    finally:
        reader.close()
