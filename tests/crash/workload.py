"""The batches the crash test publishes, and the checksums it compares.

A round is every slot once: version 1 of four monthly slices, then version 2
of each (a rerun that drops rows, changes statuses and quarantines another
row). Job k is slot k % len(SLOTS) of round k // len(SLOTS), with batch id
crash-<k>; after any whole number of rounds the warehouse must equal the
state after one uninterrupted round.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from tasks.datasets import dataset_kind
from tasks.load.stage import stage_batch
from tests.builders import dossier, land

PERIODS = ("2026-01", "2026-02", "2026-03", "2026-04")
KEY = b"c" * 32


@dataclass(frozen=True)
class Slot:
    period: str
    version: int
    quarantined_row: int  # the row a warning verdict keeps out of core

    @property
    def name(self) -> str:
        return f"{self.period}-v{self.version}"


SLOTS = tuple(Slot(p, v, 5 if v == 1 else 3) for v in (1, 2) for p in PERIODS)


def batch_id(job: int) -> str:
    return f"crash-{job:06d}"


def job_index(batch: str) -> int:
    return int(batch.removeprefix("crash-"))


def _records(slot: Slot, rows: int) -> list[dict]:
    day = f"{slot.period.replace('-', '')}05"
    count = rows if slot.version == 1 else rows - rows // 10
    return [
        dossier(
            n,
            MaHoSo=f"G22.74.05-{day[2:]}-{n:04d}",
            NgayNopHoSo=f"{day}080000",
            NgayTiepNhan=f"{day}090000",
            NgayCapNhat=f"{day}120000",
            NgayHenTra=f"{day}170000",
            NgayKetThucXuLy=f"{day}120000",
            TrangThaiHoSo="Đã xử lý xong" if slot.version == 2 and n % 3 == 0 else "Đã trả kết quả",
            DongBoDVCQG=int(n % (4 + slot.version) != 0),
        )
        for n in range(1, count + 1)
    ]


def staged_path(workdir: Path, slot: Slot) -> Path:
    return workdir / "staged" / f"{slot.name}.duckdb"


def prepare(workdir: Path, rows: int) -> None:
    """Land and stage every slot once (the loader publishes these files again and again)."""
    for slot in SLOTS:
        landed = land(_records(slot, rows), workdir / "landed" / f"{slot.name}.parquet")
        stage_batch(landed, staged_path(workdir, slot), KEY, dataset_kind("dossiers"))


def _core_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
        " AND schema_name = 'core' AND table_name = 'dossiers' ORDER BY column_index"
    ).fetchall()
    return [c for (c,) in rows if c not in ("plan_id", "period", "batch_id")]


def _row_hash(columns: list[str]) -> str:
    text = ", ".join(f"coalesce({c}::VARCHAR, '~')" for c in columns)
    return f"coalesce(sum(hash(concat_ws('|', {text}))::HUGEINT), 0)"


def expected_slice_checksums(warehouse: duckdb.DuckDBPyConnection, workdir: Path) -> dict:
    """Per slot: (rows, checksum) core must hold for its period once it is published."""
    columns = _core_columns(warehouse)
    found = {}
    for slot in SLOTS:
        con = duckdb.connect(str(staged_path(workdir, slot)), read_only=True)
        try:
            found[slot.name] = con.execute(
                f"SELECT count(*), {_row_hash(columns)} FROM staged WHERE row_number <> ?",
                [slot.quarantined_row],
            ).fetchone()
        finally:
            con.close()
    return found


def slice_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Per period in core: (batch ids, rows, checksum)."""
    rows = con.execute(
        f"SELECT period, list(DISTINCT batch_id), count(*), {_row_hash(_core_columns(con))}"
        " FROM core.dossiers GROUP BY period"
    ).fetchall()
    return {period: (ids, n, total) for period, ids, n, total in rows}


WAREHOUSE_PARTS = {
    "core": "SELECT * EXCLUDE (batch_id) FROM core.dossiers",
    "quarantine": "SELECT * EXCLUDE (batch_id) FROM ops.quarantine",
    "kpis": "SELECT * EXCLUDE (batch_ids) FROM marts.dossier_kpis",
    "scores": "SELECT * EXCLUDE (batch_ids) FROM marts.score_766_indicators",
    "progress": "SELECT * EXCLUDE (batch_ids) FROM marts.target_progress",
    "outbox": "SELECT message_key, text, content_hash FROM ops.outbox",
}


def warehouse_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Order-independent (rows, checksum) of every part a rerun must reproduce."""
    return {
        name: con.execute(
            f"SELECT count(*), coalesce(sum(hash(t::VARCHAR)::HUGEINT), 0) FROM ({sql}) AS t"
        ).fetchone()
        for name, sql in WAREHOUSE_PARTS.items()
    }
