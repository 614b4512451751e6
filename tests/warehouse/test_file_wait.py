"""The single file: a second writer waits for the first (bounded, one line saying so)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tasks.settings import load_settings
from warehouse.db import WarehouseLockedError, open_writer

# Another plan06 process: holds the file for `seconds`, then lets go.
HOLDER = """
import sys, time
from tasks.settings import load_settings
from warehouse.db import open_writer
con = open_writer(load_settings())
print("holding", flush=True)
time.sleep(float(sys.argv[1]))
con.close()
"""


@pytest.fixture
def file_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "plan06.duckdb"
    monkeypatch.setenv("PLAN06_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PLAN06_WAREHOUSE", raising=False)
    open_writer(load_settings()).close()  # created and migrated
    return path


def _hold(seconds: float) -> subprocess.Popen[str]:
    env = os.environ | {"PYTHONPATH": str(Path.cwd())}
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(seconds)], env=env,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_writer_waits_for_the_first_then_opens(file_env, caplog, capfd):
    holder = _hold(2)
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="plan06.warehouse"):
        con = open_writer(load_settings())
    waited = time.monotonic() - started
    con.close()
    assert holder.wait(timeout=30) == 0
    assert waited > 0.5
    said = [r.getMessage() for r in caplog.records if r.name == "plan06.warehouse"]
    line = f"waiting up to 600 s for another plan06 process writing {file_env}"
    assert said == [line]
    assert capfd.readouterr().err.splitlines() == [line]  # one line, not one per poll


def test_a_writer_gives_up_after_the_wait_with_a_clear_error(file_env, monkeypatch):
    monkeypatch.setenv("PLAN06_WAREHOUSE_WAIT_SECONDS", "1")
    holder = _hold(20)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLockedError) as caught:
            open_writer(load_settings())
        assert time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
    assert str(caught.value) == (
        f"{file_env} was held by another plan06 process for 1 s (DuckDB allows one writer):"
        " try again when it ends, or raise PLAN06_WAREHOUSE_WAIT_SECONDS."
    )
