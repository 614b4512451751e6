"""File drops as provincial staff make them: CSV in CP1258 with ';' and dd/mm/yyyy
dates (Excel on a Vietnamese Windows), and XLSX workbooks with real date cells.

`write_drops(root, periods)` writes what the seed plans read:
  <root>/dong-nai/dat-dai/<period>/thua-dat-<unit>.csv   land parcels, one file per commune
  <root>/kien-giang/ho-tich/<period>/so-ho-tich.xlsx     civil-status registers
  <root>/dong-nai/ho-so/<period>/ho-so-<period>.csv|.xlsx dossiers (simulator/dossier_drops.py)
The writers are also used to build the bad-file corpus (simulator/drop_corpus.py).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

from simulator.datasets import generate_records
from simulator.dossier import Record
from simulator.dossier_drops import DOSSIER_DROP_PROVINCE, write_dossier_drops
from simulator.generator import _units
from simulator.periods import parse_stamp

# file header -> dataset field; the plan files carry the same maps.
LAND_COLUMNS = {
    "Mã thửa đất": "MaThuaDat",
    "Mã đơn vị": "MaDonVi",
    "Nhóm dữ liệu": "NhomDuLieu",
    "Số định danh chủ sử dụng": "SoDinhDanhChuSuDung",
    "Đã xác thực chủ sử dụng": "ChuSuDungDaXacThuc",
    "Đã quét GCN": "GiayChungNhanDaQuet",
    "Đã nhập CSDL đất đai": "DaNhapCSDLDatDai",
    "Ngày cập nhật": "NgayCapNhat",
}
REGISTER_COLUMNS = {
    "Mã sổ": "MaSo",
    "Mã đơn vị": "MaDonVi",
    "Loại sổ": "LoaiSo",
    "Năm đăng ký": "NamDangKy",
    "Số bản ghi": "SoBanGhi",
    "Số bản ghi đã số hóa": "SoBanGhiDaSoHoa",
    "Ngày cập nhật": "NgayCapNhat",
}
UNIT_NAME = "Tên đơn vị"  # an extra column the plans ignore: Vietnamese text to decode


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # the five tone marks, combining in CP1258


def cp1258_bytes(text: str) -> bytes:
    """CP1258 as Windows writes it: base letters (â, ơ, ư...) precomposed, tones combining."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in parts if c in _TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], encoding: str = "cp1258",
              delimiter: str = ";") -> bytes:  # fmt: skip
    """A CSV file as Excel writes it (CRLF, minimal quoting) in `encoding`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    return cp1258_bytes(text) if encoding == "cp1258" else text.encode(encoding)


def write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]],
               epoch_1904: bool = False) -> Path:  # fmt: skip
    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = openpyxl.utils.datetime.MAC_EPOCH
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _cells(path: Path) -> list[tuple]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [(s.title, list(s.iter_rows(values_only=True))) for s in book.worksheets]
    finally:
        book.close()


def _partial(path: Path) -> Path:
    """Where a drop is written before it is moved in: a folder no drop glob matches."""
    folder = path.parent / ".partial"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / path.name


def _put(path: Path, data: bytes) -> None:
    """Write a drop unless it holds these bytes already; atomically, as a partner's
    export should arrive (a half-written file must never be read)."""
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(path)
    partial.write_bytes(data)
    partial.replace(path)


def _put_xlsx(path: Path, header: Sequence[str], rows: list[list[Any]]) -> None:
    """A workbook's bytes change at every save: keep the old file when its cells are
    the same, or every simulator start made a new file version (issue 16)."""
    partial = write_xlsx(_partial(path), header, rows)
    if path.exists() and _cells(path) == _cells(partial):
        partial.unlink()
    else:
        partial.replace(path)


def _day(stamp: str | None) -> datetime | None:
    try:
        return parse_stamp(stamp) if stamp else None
    except ValueError:
        return None


def land_rows(records: list[Record], names: dict[str, str]) -> list[list[Any]]:
    """Rows in LAND_COLUMNS order plus the unit's name; dates as dd/mm/yyyy text."""
    fields = list(LAND_COLUMNS.values())
    rows = []
    for r in records:
        day = _day(r["NgayCapNhat"])
        values = {**r, "NgayCapNhat": day.strftime("%d/%m/%Y") if day else r["NgayCapNhat"]}
        rows.append([values[f] for f in fields] + [names.get(str(r["MaDonVi"]), "")])
    return rows


def register_rows(records: list[Record]) -> list[list[Any]]:
    """Rows in REGISTER_COLUMNS order; dates as real date cells."""
    fields = list(REGISTER_COLUMNS.values())
    return [[_day(r[f]) if f == "NgayCapNhat" else r[f] for f in fields] for r in records]


def write_drops(root: Path, periods: Iterable[str], seed: int = 0, scale: float = 1.0) -> Path:
    """Write the seed plans' drops for each period under `root`; returns root."""
    names = {u.unit_code: u.name for u in _units()}
    for period in periods:
        land = generate_records("land_parcels", "dong-nai", period, seed, scale)
        folder = root / "dong-nai" / "dat-dai" / period
        folder.mkdir(parents=True, exist_ok=True)
        by_unit: dict[str, list[Record]] = {}
        for record in land:  # one export per commune; bad unit codes go with the first
            by_unit.setdefault(str(record["MaDonVi"]) if record["MaDonVi"] in names else "", [])
            by_unit[str(record["MaDonVi"]) if record["MaDonVi"] in names else ""].append(record)
        for unit, records in by_unit.items():
            header = [*LAND_COLUMNS, UNIT_NAME]
            data = csv_bytes(header, land_rows(records, names))
            _put(folder / f"thua-dat-{unit or 'khac'}.csv", data)
        registers = generate_records("civil_status_registers", "kien-giang", period, seed, scale)
        _put_xlsx(root / "kien-giang" / "ho-tich" / period / "so-ho-tich.xlsx",
                  list(REGISTER_COLUMNS), register_rows(registers))  # fmt: skip
        write_dossier_drops(root, DOSSIER_DROP_PROVINCE, [period], seed, scale)
    return root
