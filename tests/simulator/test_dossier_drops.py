"""Dossier file drops hold the portal API's dossiers, in two column layouts.

Files are read back the way a client would (csv with utf-8-sig, openpyxl) and
translated back by hand, then compared with the rows the portal route serves.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from simulator.dossier_drops import write_dossier_drops
from simulator.server import SimulatorHandle, recent_periods
from tests.simulator.checks import SCALE, SEED

PROVINCE, PERIOD = "dong-nai", "2026-01"
CSV_HEADER = ["Mã hồ sơ", "Mã TTHC", "Mã đơn vị", "Lĩnh vực", "Kênh thực hiện", "Mức độ DVC",
              "Ngày nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý", "Trạng thái",
              "Số giấy tờ chủ hồ sơ", "Thành phần hồ sơ", "Mã kết quả", "Tệp kết quả",
              "Kết quả số hóa", "Đồng bộ DVCQG", "Ngày cập nhật", "Số lần bổ sung",
              "Ngày yêu cầu bổ sung", "Ngày nhận bổ sung"]  # fmt: skip
PORTAL_FIELDS = ["MaHoSo", "MaTTHC", "MaDonVi", "LinhVuc", "KenhThucHien", "MucDoDVC",
                 "NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "TrangThaiHoSo",
                 "SoGiayToChuHoSo", "ThanhPhanHoSo", "MaKetQua", "DuongDanTepTinKetQua",
                 "KetQuaDuocSoHoa", "DongBoDVCQG", "NgayCapNhat", "SoLanBoSung",
                 "NgayYeuCauBoSung", "NgayNhanBoSung"]  # fmt: skip
SNAKE_HEADER = ["ma_ho_so", "ma_tthc", "ma_don_vi", "linh_vuc", "kenh_thuc_hien", "muc_do_dvc",
                "ngay_nop_ho_so", "ngay_tiep_nhan", "ngay_hen_tra", "ngay_ket_thuc_xu_ly",
                "trang_thai_ho_so", "so_giay_to_chu_ho_so", "thanh_phan_ho_so", "ma_ket_qua",
                "duong_dan_tep_tin_ket_qua", "ket_qua_duoc_so_hoa", "dong_bo_dvcqg",
                "ngay_cap_nhat", "so_lan_bo_sung", "ngay_yeu_cau_bo_sung",
                "ngay_nhan_bo_sung"]  # fmt: skip


@pytest.fixture(scope="module")
def truth(simulator: SimulatorHandle) -> list[dict[str, Any]]:
    """The portal route's rows for the period, without the owner's name (not exported)."""
    body = httpx.get(f"{simulator.url}/{PROVINCE}/api/v1/dossiers", trust_env=False,
                     params={"period": PERIOD, "page_size": 1000},
                     headers={"X-API-Key": simulator.token}).json()  # fmt: skip
    assert body["next_page"] is None
    return [{k: v for k, v in row.items() if k != "ChuHoSo"} for row in body["data"]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("drops")
    write_dossier_drops(root, PROVINCE, [PERIOD], seed=SEED, scale=SCALE)
    return root / PROVINCE / "ho-so" / PERIOD


def components(cell: str) -> list[dict[str, Any]]:
    return [{"TenGiayTo": c["ten"], "DuocSoHoa": c["so_hoa"], "DuocLayTuKhoDMQG": c["tu_kho"]}
            for c in json.loads(cell)]  # fmt: skip


def from_csv(row: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, text in zip(PORTAL_FIELDS, row, strict=True):
        value: Any = text or None
        if value and field.startswith("Ngay"):
            value = datetime.strptime(text, "%d/%m/%Y %H:%M:%S").strftime("%Y%m%d%H%M%S")
        elif field in ("KenhThucHien", "SoLanBoSung") and value:
            value = int(text)
        elif field in ("KetQuaDuocSoHoa", "DongBoDVCQG"):
            value = {"Có": 1, "Không": 0}[text]
        elif field == "ThanhPhanHoSo":
            value = components(text)
        out[field] = value
    return out


def from_xlsx(row: tuple[Any, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in zip(PORTAL_FIELDS, row, strict=True):
        if isinstance(value, datetime):
            value = value.strftime("%Y%m%d%H%M%S")
        elif field == "ThanhPhanHoSo":
            value = components(value)
        out[field] = value
    return out


def test_the_csv_holds_the_api_dossiers(folder, truth):
    data = (folder / f"ho-so-{PERIOD}.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    assert header == CSV_HEADER
    assert [from_csv(r) for r in rows] == truth


def test_the_xlsx_holds_the_api_dossiers_with_typed_cells(folder, truth):
    book = openpyxl.load_workbook(folder / f"ho-so-{PERIOD}.xlsx", read_only=True)
    assert book.sheetnames == ["HoSo"]
    header, *rows = book["HoSo"].iter_rows(values_only=True)
    assert list(header) == SNAKE_HEADER
    assert [from_xlsx(r) for r in rows] == truth
    first = dict(zip(SNAKE_HEADER, rows[0], strict=True))
    assert isinstance(first["ngay_tiep_nhan"], datetime) and first["dong_bo_dvcqg"] in (0, 1)
    assert isinstance(first["so_giay_to_chu_ho_so"], str)  # a CCCD keeps its leading zero


def test_the_simulator_writes_them_with_its_other_drops(simulator):
    assert simulator.drop_root is not None
    period = recent_periods(13)[-1]
    folder = simulator.drop_root / PROVINCE / "ho-so" / period
    assert sorted(p.name for p in folder.iterdir()) == [f"ho-so-{period}.csv",
                                                        f"ho-so-{period}.xlsx"]  # fmt: skip
