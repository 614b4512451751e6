from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tasks.datasets import dataset_kind
from tasks.load.plans import sync_plan_dimensions
from tasks.load.publish import BatchInfo, PublishResult, publish_batch
from tasks.load.stage import stage_batch
from tasks.validate.run import Verdict
from tests.builders import PLAN_ID, land, seed_plan
from warehouse.db import open_warehouse

KEY = b"k" * 32


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_warehouse(tmp_path / "w.duckdb")
    sync_plan_dimensions(con, seed_plan())
    yield con
    con.close()


@pytest.fixture
def publish(warehouse: duckdb.DuckDBPyConnection, tmp_path: Path):
    """Land, stage and publish records as one batch of the seed plan."""
    counter = iter(range(1, 10_000))

    def _publish(
        records: list[dict[str, Any]], period: str = "2026-10", verdict: Verdict | None = None
    ) -> PublishResult:
        n = next(counter)
        landed = land(records, tmp_path / f"landed-{n}.parquet")
        staged = tmp_path / f"staged-{n}.duckdb"
        stage_batch(landed, staged, KEY, dataset_kind("dossiers"))
        batch = BatchInfo(
            f"b{n}",
            PLAN_ID,
            "dossiers",
            period,
            "/api",
            None,
            datetime.now(),
            "dossiers",
            ("dossier_code",),
        )
        return publish_batch(warehouse, staged, batch, verdict or Verdict(outcomes=[]))

    return _publish
