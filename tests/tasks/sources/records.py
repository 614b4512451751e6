"""Dossiers in the API's shape, landed and staged, for tests that need exact rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from tasks.datasets import dataset_kind
from tasks.load.stage import stage_batch
from tests.landing import land_records

FIELDS = dataset_kind("dossiers").field_names

PERIOD = "2026-10"
AREA_UNITS = ["25741", "25744", "25951"]  # Bình Dương communes in warehouse/seeds
KEY = b"test-pseudonym-key-0123456789abcdef"


def dossier(seq: int, **fields: Any) -> dict[str, Any]:
    """A clean October 2026 residence dossier; `fields` override API fields."""
    record: dict[str, Any] = {
        "MaHoSo": f"G22.74.05-261005-{seq:04d}",
        "MaTTHC": "1.004222",
        "MaDonVi": AREA_UNITS[0],
        "LinhVuc": "cu_tru",
        "KenhThucHien": 2,
        "MucDoDVC": "TOAN_TRINH",
        "NgayNopHoSo": "20261005080000",
        "NgayTiepNhan": "20261005090000",
        "NgayHenTra": "20261012170000",
        "NgayKetThucXuLy": "20261010100000",
        "TrangThaiHoSo": "Đã trả kết quả",
        "SoGiayToChuHoSo": f"074{seq:09d}",
        "ChuHoSo": "Nguyễn Văn An",
        "ThanhPhanHoSo": [{"TenGiayTo": "Tờ khai", "DuocSoHoa": 1, "DuocLayTuKhoDMQG": 0}],
        "MaKetQua": f"KQ-{seq}",
        "DuongDanTepTinKetQua": f"https://kq.example.invalid/{seq}.pdf",
        "KetQuaDuocSoHoa": 1,
        "DongBoDVCQG": 1,
        "NgayCapNhat": "20261010100000",
    }
    record.update(fields)
    return record


def land(records: list[dict[str, Any]], target: Path) -> Path:
    """Land the records as one API page, the way a pull would."""
    return land_records(records, target)


def stage(records: list[dict[str, Any]], folder: Path, key: bytes = KEY) -> Path:
    """Land then stage the records; returns the staging DuckDB file."""
    landed = land(records, folder / "landed.parquet")
    staged = folder / "staged.duckdb"
    stage_batch(landed, staged, key, dataset_kind("dossiers"))
    return staged


def staged_rows(staged: Path, columns: str) -> list[tuple[Any, ...]]:
    """`columns` of the staged table, in landed order."""
    con = duckdb.connect(str(staged), read_only=True)
    try:
        return con.execute(f"SELECT {columns} FROM staged ORDER BY row_number").fetchall()
    finally:
        con.close()
