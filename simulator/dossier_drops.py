"""Dossier file drops: the portal's dossiers as two one-stop systems export them.

`write_dossier_drops(root, province, periods)` writes, per period,
  <root>/<province>/ho-so/<period>/ho-so-<period>.csv   UTF-8 with BOM, ';',
      Vietnamese headers (CSV_COLUMNS), dates dd/mm/yyyy HH:MM:SS, yes/no as Có/Không
  <root>/<province>/ho-so/<period>/ho-so-<period>.xlsx  sheet "HoSo", dialect A's
      snake_case headers, real datetime cells, flags as 1/0 numbers
Both hold exactly the API's dossiers for the period (same generator and seed),
bad rows included; components are one JSON text cell of {"ten","so_hoa","tu_kho"}.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.as_of import VIETNAM, start_of_day
from simulator.dialects.motcua_v2 import FIELDS as SNAKE_FIELDS
from simulator.dossier import Record
from simulator.generator import generate_dossiers
from simulator.xlsx_fast import write_sheet

# file header -> portal field, in file order (the owner's name is not exported).
CSV_COLUMNS = {
    "Mã hồ sơ": "MaHoSo",
    "Mã TTHC": "MaTTHC",
    "Mã đơn vị": "MaDonVi",
    "Lĩnh vực": "LinhVuc",
    "Kênh thực hiện": "KenhThucHien",
    "Mức độ DVC": "MucDoDVC",
    "Ngày nộp": "NgayNopHoSo",
    "Ngày tiếp nhận": "NgayTiepNhan",
    "Ngày hẹn trả": "NgayHenTra",
    "Ngày kết thúc xử lý": "NgayKetThucXuLy",
    "Trạng thái": "TrangThaiHoSo",
    "Số giấy tờ chủ hồ sơ": "SoGiayToChuHoSo",
    "Thành phần hồ sơ": "ThanhPhanHoSo",
    "Mã kết quả": "MaKetQua",
    "Tệp kết quả": "DuongDanTepTinKetQua",
    "Kết quả số hóa": "KetQuaDuocSoHoa",
    "Đồng bộ DVCQG": "DongBoDVCQG",
    "Ngày cập nhật": "NgayCapNhat",
    "Số lần bổ sung": "SoLanBoSung",
    "Ngày yêu cầu bổ sung": "NgayYeuCauBoSung",
    "Ngày nhận bổ sung": "NgayNhanBoSung",
}
# One province only: writing both layouts costs about 0.2 s per province-period
# (mostly generating the dossiers), which every simulator start would pay for
# each of its 13 default periods.
DOSSIER_DROP_PROVINCE = "dong-nai"
XLSX_COLUMNS = {snake: portal for portal, snake in SNAKE_FIELDS.items()}
SHEET = "HoSo"
_FLAGS = frozenset({"KetQuaDuocSoHoa", "DongBoDVCQG"})


def components_json(record: Record) -> str:
    """The attached documents as one JSON text cell (UTF-8 text, not \\u escapes)."""
    parts = [
        {"ten": c["TenGiayTo"], "so_hoa": c["DuocSoHoa"], "tu_kho": c["DuocLayTuKhoDMQG"]}
        for c in record["ThanhPhanHoSo"]
    ]
    return json.dumps(parts, ensure_ascii=False)


def _moment(stamp: str) -> datetime:
    # slicing, not strptime: strptime was half of the drop-writing time
    parts = (stamp[0:4], stamp[4:6], stamp[6:8], stamp[8:10], stamp[10:12], stamp[12:14])
    if len(stamp) != 14 or not stamp.isdecimal():
        raise ValueError(f"not a yyyyMMddHHmmss stamp: {stamp!r}")
    return datetime(*map(int, parts))


def _csv_date(stamp: str) -> str:
    """yyyyMMddHHmmss -> dd/mm/yyyy HH:MM:SS, checked as a real moment."""
    _moment(stamp)
    return f"{stamp[6:8]}/{stamp[4:6]}/{stamp[0:4]} {stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}"


def _cell(record: Record, field: str, for_csv: bool) -> Any:
    value = record[field]
    if field == "ThanhPhanHoSo":
        return components_json(record)
    if value is None:
        return "" if for_csv else None
    if field.startswith("Ngay"):
        return _csv_date(value) if for_csv else _moment(value)
    if for_csv and field in _FLAGS:
        return {1: "Có", 0: "Không"}.get(value, value)
    return value


def csv_bytes(records: Iterable[Record]) -> bytes:
    """The CSV export: Excel's UTF-8 (with BOM), ';', CRLF, minimal quoting."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([_cell(r, f, True) for f in CSV_COLUMNS.values()] for r in records)
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(path: Path, records: Iterable[Record]) -> Path:
    rows = ([_cell(r, f, False) for f in XLSX_COLUMNS.values()] for r in records)
    return write_sheet(path, SHEET, list(XLSX_COLUMNS), rows)


def write_dossier_drops(
    root: Path, province: str, periods: Iterable[str], seed: int = 0, scale: float = 1.0
) -> list[Path]:
    """Write both layouts of `province`'s dossiers for each period; returns the files."""
    written = []
    for period in periods:
        # as the system stood at the start of today, like its API (simulator/as_of.py)
        cut = start_of_day(datetime.now(VIETNAM))
        records = generate_dossiers(province, period, seed=seed, scale=scale, cut_at=cut)
        folder = root / province / "ho-so" / period
        folder.mkdir(parents=True, exist_ok=True)
        (csv_path := folder / f"ho-so-{period}.csv").write_bytes(csv_bytes(records))
        written += [csv_path, write_xlsx(folder / f"ho-so-{period}.xlsx", records)]
    return written
