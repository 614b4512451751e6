"""The vendor dialects over a real socket: the portal's dossiers, translated.

The reverse translations below are written by hand from the dialects' published
shape (not imported from simulator/dialects), so a translation bug cannot
cancel itself out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from simulator.server import SimulatorHandle

ICT = timezone(timedelta(hours=7))
# a period with a bad channel and a null MaHoSo among its bad rows (seed 7, scale 0.5)
PERIOD, FIRST, LAST = "2026-01", "2026-01-01", "2026-01-31"
A_PATH, B_PATH = "/{}/motcua/api/v2/ho-so", "/{}/egov/api/hoso"
PROVINCES = ("binh-duong", "dong-nai", "kien-giang")


def portal(sim: SimulatorHandle, province: str, period: str = PERIOD) -> list[dict]:
    rows, page = [], 1
    headers = {"Authorization": f"Bearer {sim.token}"}
    while page is not None:
        body = httpx.get(f"{sim.url}/{province}/api/v1/dossiers", headers=headers,
                         params={"period": period, "page": page, "page_size": 1000},
                         trust_env=False).json()  # fmt: skip
        rows, page = rows + body["data"], body["next_page"]
    return rows


def pull_a(sim: SimulatorHandle, province: str, limit: int) -> tuple[list[dict], list]:
    """Every page of dialect A by its Link headers; also each page's (count, total, link)."""
    url: str | None = f"{sim.url}{A_PATH.format(province)}?thang={PERIOD}&limit={limit}"
    rows, pages = [], []
    while url:
        answer = httpx.get(url, headers={"X-API-Key": sim.token}, trust_env=False)
        assert answer.status_code == 200
        result = answer.json()["result"]
        link = answer.headers.get("link")
        pages.append((result["count"], len(result["data"]), answer.headers["x-total-count"], link))
        rows += result["data"]
        url = link.removeprefix("<").removesuffix('>; rel="next"') if link else None
    return rows, pages


def pull_b(sim: SimulatorHandle, province: str, size: int) -> tuple[list[dict], list[dict]]:
    rows, metas, cursor = [], [], None
    while True:
        params = {"tuNgay": FIRST, "denNgay": LAST, "pageSize": size}
        if cursor:
            params["cursor"] = cursor
        answer = httpx.get(
            f"{sim.url}{B_PATH.format(province)}",
            params=params,
            headers={"Authorization": f"Bearer {sim.token}"},
            trust_env=False,
        )
        assert answer.status_code == 200
        rows += answer.json()["items"]
        metas.append(meta := answer.json()["meta"])
        if (cursor := meta["nextCursor"]) is None:
            return rows, metas


def _stamp(moment: datetime | None) -> str | None:
    return moment.astimezone(ICT).strftime("%Y%m%d%H%M%S") if moment else None


def from_a(r: dict[str, Any]) -> dict[str, Any]:
    def day(value: str | None) -> str | None:
        if value is not None:
            assert value.endswith("+07:00")
        return _stamp(datetime.fromisoformat(value)) if value else None

    def flag(value: bool) -> int:
        assert isinstance(value, bool)
        return int(value)

    return {
        "MaHoSo": r["ma_ho_so"], "MaTTHC": r["ma_tthc"], "MaDonVi": r["ma_don_vi"],
        "LinhVuc": r["linh_vuc"], "KenhThucHien": r["kenh_thuc_hien"],
        "MucDoDVC": r["muc_do_dvc"], "NgayNopHoSo": day(r["ngay_nop_ho_so"]),
        "NgayTiepNhan": day(r["ngay_tiep_nhan"]), "NgayHenTra": day(r["ngay_hen_tra"]),
        "NgayKetThucXuLy": day(r["ngay_ket_thuc_xu_ly"]),
        "TrangThaiHoSo": r["trang_thai_ho_so"], "SoGiayToChuHoSo": r["so_giay_to_chu_ho_so"],
        "ThanhPhanHoSo": [{"TenGiayTo": c["ten_giay_to"], "DuocSoHoa": flag(c["da_so_hoa"]),
                           "DuocLayTuKhoDMQG": flag(c["lay_tu_kho_du_lieu"])}
                          for c in r["thanh_phan_ho_so"]],
        "MaKetQua": r["ma_ket_qua"], "DuongDanTepTinKetQua": r["duong_dan_tep_tin_ket_qua"],
        "KetQuaDuocSoHoa": flag(r["ket_qua_duoc_so_hoa"]),
        "DongBoDVCQG": flag(r["dong_bo_dvcqg"]), "NgayCapNhat": day(r["ngay_cap_nhat"]),
        "SoLanBoSung": r["so_lan_bo_sung"],
        "NgayYeuCauBoSung": day(r["ngay_yeu_cau_bo_sung"]),
        "NgayNhanBoSung": day(r["ngay_nhan_bo_sung"]),
    }  # fmt: skip


def from_b(r: dict[str, Any]) -> dict[str, Any]:
    def ms(value: int | None) -> str | None:
        return _stamp(datetime.fromtimestamp(value / 1000, UTC)) if value is not None else None

    def yes(value: str) -> int:
        return {"Có": 1, "Không": 0}[value]

    channel = {None: None, "TRUC_TIEP": 1, "TRUC_TUYEN": 2, "BUU_CHINH": 3, "KHAC": 7}
    times, result = r["thoiGian"], r["ketQua"] or {"ma": None, "tepDinhKem": None, "soHoa": "Không"}
    return {
        "MaHoSo": r["maHoSo"], "MaTTHC": r["thuTuc"]["ma"], "MaDonVi": r["donVi"]["ma"],
        "LinhVuc": r["thuTuc"]["linhVuc"], "KenhThucHien": channel[r["kenh"]],
        "MucDoDVC": r["mucDo"], "NgayNopHoSo": ms(times["nop"]),
        "NgayTiepNhan": ms(times["tiepNhan"]), "NgayHenTra": ms(times["henTra"]),
        "NgayKetThucXuLy": ms(times["ketThuc"]), "TrangThaiHoSo": r["trangThai"],
        "SoGiayToChuHoSo": r["nguoiNop"]["soGiayTo"], "ChuHoSo": r["nguoiNop"]["hoTen"],
        "ThanhPhanHoSo": [{"TenGiayTo": c["ten"], "DuocSoHoa": yes(c["soHoa"]),
                           "DuocLayTuKhoDMQG": yes(c["tuKhoDuLieu"])} for c in r["thanhPhan"]],
        "MaKetQua": result["ma"], "DuongDanTepTinKetQua": result["tepDinhKem"],
        "KetQuaDuocSoHoa": yes(result["soHoa"]), "DongBoDVCQG": yes(r["dongBoCongQuocGia"]),
        "NgayCapNhat": ms(times["capNhat"]), "SoLanBoSung": r["boSung"]["soLan"],
        "NgayYeuCauBoSung": ms(r["boSung"]["yeuCauLuc"]),
        "NgayNhanBoSung": ms(r["boSung"]["nhanLuc"]),
    }  # fmt: skip


def without_name(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "ChuHoSo"}


@pytest.mark.parametrize("province", PROVINCES)
def test_motcua_v2_pages_are_the_portal_period_translated(simulator, province):
    truth = portal(simulator, province)
    rows, pages = pull_a(simulator, province, limit=97)
    # same records, same order, each once (the portal's own duplicates included)
    assert [from_a(r) for r in rows] == [without_name(r) for r in truth]
    assert len(pages) == -(-len(truth) // 97)
    assert all(count == size and total == str(len(truth)) for count, size, total, _ in pages)
    assert all(link for *_, link in pages[:-1]) and pages[-1][3] is None


@pytest.mark.parametrize("province", PROVINCES)
def test_egov_pages_are_the_portal_period_translated(simulator, province):
    truth = portal(simulator, province)
    rows, metas = pull_b(simulator, province, size=150)
    assert [from_b(r) for r in rows] == truth
    assert len(metas) == -(-len(truth) // 150)
    assert {m["totalItems"] for m in metas} == {len(truth)}


def test_bad_rows_stay_bad_in_both_dialects(simulator):
    seen = {"bad": 0, "nulls": 0}
    for province in PROVINCES:  # a bad channel in each; a missing code where the draw gave one
        truth = portal(simulator, province)
        bad = [i for i, r in enumerate(truth) if r["KenhThucHien"] == 7]
        nulls = [i for i, r in enumerate(truth) if r["MaHoSo"] is None]
        a, _ = pull_a(simulator, province, limit=1000)
        b, _ = pull_b(simulator, province, size=1000)
        assert all(a[i]["kenh_thuc_hien"] == 7 and b[i]["kenh"] == "KHAC" for i in bad)
        assert all(a[i]["ma_ho_so"] is None and b[i]["maHoSo"] is None for i in nulls)
        assert "ChuHoSo" not in str(a) and "ho_ten" not in str(a)  # dialect A sends no names
        seen["bad"], seen["nulls"] = seen["bad"] + len(bad), seen["nulls"] + len(nulls)
    assert seen["bad"] >= len(PROVINCES)  # else this test proves nothing


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (A_PATH, {}),
        (A_PATH, {"X-API-Key": "wrong"}),
        (A_PATH, {"Authorization": "Bearer plan06-demo-token"}),  # A takes keys only
        (B_PATH, {}),
        (B_PATH, {"Authorization": "Bearer wrong"}),
        (B_PATH, {"X-API-Key": "plan06-demo-token"}),  # B takes bearer tokens only
    ],
)
def test_each_dialect_enforces_its_own_auth(simulator, path, headers):
    params = {"thang": PERIOD, "tuNgay": FIRST, "denNgay": LAST}
    answer = httpx.get(f"{simulator.url}{path.format('binh-duong')}", params=params,
                       headers=headers, trust_env=False)  # fmt: skip
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"
    assert simulator.token not in answer.text


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (A_PATH, {}),
        (A_PATH, {"thang": "2026-1"}),
        (A_PATH, {"thang": PERIOD, "limit": "0"}),
        (A_PATH, {"thang": PERIOD, "limit": "1001"}),
        (A_PATH, {"thang": PERIOD, "after": "not-a-token"}),
        (B_PATH, {"tuNgay": FIRST}),
        (B_PATH, {"tuNgay": "2026-01-02", "denNgay": LAST}),
        (B_PATH, {"tuNgay": FIRST, "denNgay": "2026-02-28"}),
        (B_PATH, {"tuNgay": "01/01/2026", "denNgay": "31/01/2026"}),
        (B_PATH, {"tuNgay": FIRST, "denNgay": LAST, "cursor": "bWMyOjk3"}),  # A's token
    ],
)
def test_bad_parameters_are_400(simulator, path, params):
    headers = {"X-API-Key": simulator.token, "Authorization": f"Bearer {simulator.token}"}
    answer = httpx.get(f"{simulator.url}{path.format('binh-duong')}", params=params,
                       headers=headers, trust_env=False)  # fmt: skip
    assert answer.status_code == 400 and answer.json()["message"]


def test_an_unknown_province_is_404(simulator):
    answer = httpx.get(f"{simulator.url}{A_PATH.format('ha-noi')}", params={"thang": PERIOD},
                       headers={"X-API-Key": simulator.token}, trust_env=False)  # fmt: skip
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
