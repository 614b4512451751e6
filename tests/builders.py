"""Hand-made dossier records in the API's shape, for tests that need exact rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.plans import PlanSpec, load_plans
from tasks.settings import PROJECT_ROOT
from tests.landing import land_records

PLAN_ID = "binh-duong-cu-tru-dat-dai"
UNIT = "25741"  # a commune of the plan's area in warehouse/seeds/admin_units.csv


def seed_plan() -> PlanSpec:
    return load_plans(PROJECT_ROOT / "flows" / "plans")[PLAN_ID]


def dossier(seq: int, **overrides: Any) -> dict[str, Any]:
    """A clean October 2026 residence dossier: digitised, online, on time, synced."""
    record: dict[str, Any] = {
        "MaHoSo": f"G22.74.05-261005-{seq:04d}",
        "MaTTHC": "1.004222",
        "MaDonVi": UNIT,
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
    record.update(overrides)
    return record


def land(records: list[dict[str, Any]], target: Path) -> Path:
    """The canonical landing file of these portal-shaped records, as a pull writes it."""
    return land_records(records, target)
