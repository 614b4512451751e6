"""Dialect "motcua-v2": a vendor's one-stop system, snake_case, Link-header paging.

GET /{province}/motcua/api/v2/ho-so?thang=YYYY-MM&limit=M[&after=<opaque>]
    header X-API-Key: <token>   (a bearer token is refused: this vendor has keys only)
-> {"result": {"data": [...], "count": <rows in this page>}}
   headers X-Total-Count: <rows in the period>, and Link: <absolute URL>; rel="next"
   on every page but the last.
Dates ISO 8601 with +07:00, flags true/false, missing values null.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.dialects.common import (
    DialectError,
    Handler,
    RowsFor,
    answer,
    decode_position,
    encode_position,
    faulted_window,
    page_size,
    province_of,
    require_secret,
)
from simulator.dialects.translate import boolean, iso
from simulator.dossier import Record
from simulator.faults import FaultPlan
from simulator.generator import check_period

NAME, TAG = "motcua-v2", "mc2"
PATH = "/{province}/motcua/api/v2/ho-so"
# portal field -> dialect field, in the dialect's order; the XLSX drop uses it too.
FIELDS = {
    "MaHoSo": "ma_ho_so",
    "MaTTHC": "ma_tthc",
    "MaDonVi": "ma_don_vi",
    "LinhVuc": "linh_vuc",
    "KenhThucHien": "kenh_thuc_hien",
    "MucDoDVC": "muc_do_dvc",
    "NgayNopHoSo": "ngay_nop_ho_so",
    "NgayTiepNhan": "ngay_tiep_nhan",
    "NgayHenTra": "ngay_hen_tra",
    "NgayKetThucXuLy": "ngay_ket_thuc_xu_ly",
    "TrangThaiHoSo": "trang_thai_ho_so",
    "SoGiayToChuHoSo": "so_giay_to_chu_ho_so",
    "ThanhPhanHoSo": "thanh_phan_ho_so",
    "MaKetQua": "ma_ket_qua",
    "DuongDanTepTinKetQua": "duong_dan_tep_tin_ket_qua",
    "KetQuaDuocSoHoa": "ket_qua_duoc_so_hoa",
    "DongBoDVCQG": "dong_bo_dvcqg",
    "NgayCapNhat": "ngay_cap_nhat",
    "SoLanBoSung": "so_lan_bo_sung",
    "NgayYeuCauBoSung": "ngay_yeu_cau_bo_sung",
    "NgayNhanBoSung": "ngay_nhan_bo_sung",
}
DATES = frozenset(field for field in FIELDS if field.startswith("Ngay"))
FLAGS = frozenset({"KetQuaDuocSoHoa", "DongBoDVCQG"})


def components(record: Record) -> list[dict[str, Any]]:
    return [
        {
            "ten_giay_to": c["TenGiayTo"],
            "da_so_hoa": boolean(c["DuocSoHoa"]),
            "lay_tu_kho_du_lieu": boolean(c["DuocLayTuKhoDMQG"]),
        }
        for c in record["ThanhPhanHoSo"]
    ]


def translate(record: Record) -> Record:
    """The portal dossier as this vendor sends it (the owner's name is not sent)."""
    out: Record = {}
    for portal, field in FIELDS.items():
        value = record[portal]
        if portal in DATES:
            value = iso(value)
        elif portal in FLAGS:
            value = boolean(value)
        elif portal == "ThanhPhanHoSo":
            value = components(record)
        out[field] = value
    return out


def handler(rows_for: RowsFor, token: str, plan: FaultPlan) -> Handler:
    def ho_so(request: Request) -> Response:
        require_secret(request.headers.get("x-api-key", ""), token)
        province, query = province_of(request), request.query_params
        period = query.get("thang") or ""
        try:
            check_period(period)
        except ValueError as exc:
            raise DialectError(400, "bad_request", f"thang: {exc}") from exc
        size = page_size(query.get("limit"), "limit")
        start = decode_position(TAG, query.get("after"), "after")
        rows = rows_for(province, period)
        fault, page = faulted_window(plan, (province, NAME, period, ""), rows, start, size)
        data = [translate(r) for r in page]
        key = "items" if fault == "schema_mismatch" else "data"
        payload = {"result": {key: data, "count": len(data)}}
        total = len(rows) + (fault == "wrong_total")
        headers = {"X-Total-Count": str(total)}
        if start + size < len(rows):
            after = encode_position(TAG, start + size)
            headers["Link"] = f'<{request.url.include_query_params(after=after)}>; rel="next"'
        return answer(fault, payload, headers, plan)

    return ho_so
