"""Landing and staging hold raw CCCDs: after a real pull (HTTP pages from the
simulator, a file drop) and staging, every file there is 0600 in a 0700 folder,
and folders an older install left 0755 are tightened."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from flows.plans import load_plans
from simulator.drop_corpus import HEADER, sample_rows
from simulator.drops import csv_bytes
from simulator.server import start_in_thread
from tasks.datasets import dataset_kind
from tasks.load.stage import stage_batch
from tasks.settings import PROJECT_ROOT
from tasks.sources.http_api import SIMULATOR_TOKEN_ENV, SIMULATOR_URL_ENV
from tasks.sources.pull import pull_source
from tests.landing import land_drop
from tests.tasks.load.conftest import KEY
from tests.tasks.sources.test_file_drop import spec

PLAN = load_plans(PROJECT_ROOT / "flows" / "plans")["binh-duong-cu-tru-dat-dai"]


def modes(root: Path) -> dict[str, str]:
    """Every path under root (root included) with its permission bits."""
    paths = [root, *root.rglob("*")]
    return {str(p.relative_to(root.parent)): oct(stat.S_IMODE(p.stat().st_mode)) for p in paths}


def test_landing_and_staging_files_are_0600_in_0700_folders(tmp_path, monkeypatch):
    data = tmp_path / "data"
    landing, staging = data / "landing", data / "staging"
    landing.mkdir(parents=True, mode=0o755)  # as an older install left it
    landing.chmod(0o755)
    source = PLAN.sources["dvc"]
    monkeypatch.delenv(source.url_env, raising=False)
    monkeypatch.delenv(source.token_env, raising=False)
    with start_in_thread(seed=3, scale=0.2) as simulator:
        monkeypatch.setenv(SIMULATOR_URL_ENV, simulator.url)
        monkeypatch.setenv(SIMULATOR_TOKEN_ENV, simulator.token)
        dataset = PLAN.datasets[0]
        landed, _ = pull_source(PLAN, dataset, "2025-08", landing / "api.parquet", {})
    assert landed.rows > 0
    drop = tmp_path / "drop" / "dat-dai"
    drop.mkdir(parents=True)
    (drop / "a.csv").write_bytes(csv_bytes(HEADER, sample_rows()))
    land_drop(tmp_path / "drop", spec(), landing / "drop.parquet")
    stage_batch(landing / "api.parquet", staging / "api.duckdb", KEY, dataset_kind("dossiers"))

    found = modes(landing) | modes(staging)
    assert {"landing/api.parquet", "landing/drop.parquet", "staging/api.duckdb"} <= set(found)
    loose = {
        path: mode
        for path, mode in found.items()
        if mode != ("0o700" if (data / path).is_dir() else "0o600")
    }
    assert loose == {}


@pytest.mark.parametrize("existing", [0o755, 0o777])
def test_a_looser_folder_is_tightened(tmp_path, existing):
    from tasks.private_files import private_dir

    folder = tmp_path / "landing"
    folder.mkdir()
    folder.chmod(existing)
    assert stat.S_IMODE(private_dir(folder).stat().st_mode) == 0o700
