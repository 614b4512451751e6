"""What a user checks in simulator output, written independently of the simulator."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

# The session simulator (conftest.py): half-size periods keep socket tests quick.
SEED = 7
SCALE = 0.5

MA_HO_SO = re.compile(r"^[A-Z0-9.]+-\d{6}-\d{4}$")
CCCD = re.compile(r"^\d{12}$")
STATUSES = frozenset(
    {
        "Mới tiếp nhận",
        "Đang xử lý",
        "Yêu cầu bổ sung",
        "Từ chối",
        "Dừng xử lý",
        "Đã xử lý xong",
        "Đã trả kết quả",
        "Công dân rút hồ sơ",
    }
)
DEFECT_KINDS = frozenset(
    {
        "malformed_ma_ho_so",
        "null_ma_ho_so",
        "duplicate",
        "due_before_received",
        "end_before_received",
        "unknown_status",
        "bad_channel",
        "unknown_unit",
        "short_cccd",
    }
)


def row_defects(row: dict[str, Any], known_units: set[str]) -> list[str]:
    """The defects of one row, judged field by field (duplicates need the batch)."""
    found = []
    if row["MaHoSo"] is None:
        found.append("null_ma_ho_so")
    elif not MA_HO_SO.match(row["MaHoSo"]):
        found.append("malformed_ma_ho_so")
    # yyyyMMddHHmmss strings sort like the times they encode.
    if row["NgayHenTra"] < row["NgayTiepNhan"]:
        found.append("due_before_received")
    if row["NgayKetThucXuLy"] is not None and row["NgayKetThucXuLy"] < row["NgayTiepNhan"]:
        found.append("end_before_received")
    if row["TrangThaiHoSo"] not in STATUSES:
        found.append("unknown_status")
    if row["KenhThucHien"] not in (1, 2, 3, None):
        found.append("bad_channel")
    if row["MaDonVi"] not in known_units:
        found.append("unknown_unit")
    if not CCCD.match(row["SoGiayToChuHoSo"]):
        found.append("short_cccd")
    return found


def defects(rows: list[dict[str, Any]], known_units: set[str]) -> Counter[str]:
    """Count defects by kind; each extra copy of a MaHoSo is one duplicate."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(row_defects(row, known_units))
    codes = Counter(row["MaHoSo"] for row in rows if row["MaHoSo"] is not None)
    counts["duplicate"] = sum(n - 1 for n in codes.values())
    return +counts


def observed_rates(rows: list[dict[str, Any]]) -> dict[str, float]:
    """The six rates as the warehouse would measure them from the rows."""
    components = [c for row in rows for c in row["ThanhPhanHoSo"]]
    with_result = [row for row in rows if row["MaKetQua"] is not None]
    finished = [row for row in rows if row["NgayKetThucXuLy"] is not None]
    return {
        "digitised": _mean(c["DuocSoHoa"] for c in components),
        "e_result": _mean(row["DuongDanTepTinKetQua"] is not None for row in with_result),
        "synced": _mean(row["DongBoDVCQG"] for row in rows),
        "online": _mean(row["KenhThucHien"] == 2 for row in rows),
        "on_time": _mean(row["NgayKetThucXuLy"] <= row["NgayHenTra"] for row in finished),
        "reuse": _mean(any(c["DuocLayTuKhoDMQG"] for c in row["ThanhPhanHoSo"]) for row in rows),
    }


def strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON-like value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def _mean(values: Any) -> float:
    items = [float(v) for v in values]
    return sum(items) / len(items)
