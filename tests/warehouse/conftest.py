"""A private PostgreSQL for the DuckLake catalog, and a fresh lake per test."""

from __future__ import annotations

import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import pg_cluster

PLAN06 = str(Path(sys.executable).parent / "plan06")
# trust authentication ignores it; it is here to prove no message shows it
PASSWORD = "not-to-be-shown-3141"


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg_cluster.Cluster]:
    if not pg_cluster.available():
        pytest.fail(
            f"no PostgreSQL 15 server in {pg_cluster.PG_BIN}: the DuckLake tests need one"
            " (apt-get install postgresql-15); they are not skipped on purpose",
            pytrace=False,
        )
    directory = Path(tempfile.mkdtemp(prefix="plan06-pg-", dir="/tmp"))  # postgres must reach it
    try:
        yield pg_cluster.start(directory)
    finally:
        pg_cluster.stop(directory)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def lake_env(
    postgres: pg_cluster.Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """PLAN06_* of a new, empty DuckLake (its own catalog database), set in this process."""
    dsn = pg_cluster.create_database(postgres, f"lake_{uuid.uuid4().hex[:12]}")
    env = {
        "PLAN06_WAREHOUSE": f"ducklake:postgres:{dsn} password={PASSWORD}",
        "PLAN06_LAKE_DATA_PATH": str(tmp_path / "lake"),
        "PLAN06_DATA_DIR": str(tmp_path / "data"),
        "PLAN06_LANGUAGE": "en",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
