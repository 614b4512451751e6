"""Dialect "egov": camelCase, nested objects, epoch-millisecond times, cursor paging.

GET /{province}/egov/api/hoso?tuNgay=YYYY-MM-DD&denNgay=YYYY-MM-DD&pageSize=M[&cursor=<c>]
    header Authorization: Bearer <token>   (an X-API-Key is refused)
    tuNgay/denNgay must be the first and the last day of one month (the period).
-> {"items": [...], "meta": {"nextCursor": <opaque or null>, "totalItems": N}}
Times are epoch milliseconds (UTC) of the portal's local Vietnam stamps; yes/no
as "Có"/"Không"; channels as codes, an unknown portal channel as "KHAC".
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

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
from simulator.dialects.translate import co_khong, epoch_ms
from simulator.dossier import Record
from simulator.faults import FaultPlan
from simulator.generator import check_period

NAME, TAG = "egov", "eg"
PATH = "/{province}/egov/api/hoso"
CHANNELS = {1: "TRUC_TIEP", 2: "TRUC_TUYEN", 3: "BUU_CHINH"}
UNKNOWN_CHANNEL = "KHAC"  # what the vendor shows for a channel code it does not know
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _channel(code: object) -> str | None:
    if code is None:
        return None
    return CHANNELS.get(code, UNKNOWN_CHANNEL) if type(code) is int else UNKNOWN_CHANNEL


def _result(r: Record) -> Record | None:
    """The result object; null only when the portal says there is no result at all."""
    code, link, digitised = r["MaKetQua"], r["DuongDanTepTinKetQua"], r["KetQuaDuocSoHoa"]
    if code is None and link is None and digitised == 0:
        return None
    return {"ma": code, "tepDinhKem": link, "soHoa": co_khong(digitised)}


def translate(r: Record) -> Record:
    """The portal dossier `r` as this vendor sends it, owner's (synthetic) name included."""
    return {
        "maHoSo": r["MaHoSo"],
        "thuTuc": {"ma": r["MaTTHC"], "linhVuc": r["LinhVuc"]},
        "donVi": {"ma": r["MaDonVi"]},
        "kenh": _channel(r["KenhThucHien"]),
        "mucDo": r["MucDoDVC"],
        "thoiGian": {
            "nop": epoch_ms(r["NgayNopHoSo"]),
            "tiepNhan": epoch_ms(r["NgayTiepNhan"]),
            "henTra": epoch_ms(r["NgayHenTra"]),
            "ketThuc": epoch_ms(r["NgayKetThucXuLy"]),
            "capNhat": epoch_ms(r["NgayCapNhat"]),
        },
        "trangThai": r["TrangThaiHoSo"],
        "nguoiNop": {"soGiayTo": r["SoGiayToChuHoSo"], "hoTen": r["ChuHoSo"]},
        "thanhPhan": [
            {
                "ten": c["TenGiayTo"],
                "soHoa": co_khong(c["DuocSoHoa"]),
                "tuKhoDuLieu": co_khong(c["DuocLayTuKhoDMQG"]),
            }
            for c in r["ThanhPhanHoSo"]
        ],
        "ketQua": _result(r),
        "dongBoCongQuocGia": co_khong(r["DongBoDVCQG"]),
        "boSung": {
            "soLan": r["SoLanBoSung"],
            "yeuCauLuc": epoch_ms(r["NgayYeuCauBoSung"]),
            "nhanLuc": epoch_ms(r["NgayNhanBoSung"]),
        },
    }


def period_of(first: str | None, last: str | None) -> str:
    """The YYYY-MM period that tuNgay..denNgay spans exactly; 400 otherwise."""
    try:
        if not (first and last and _DAY.match(first) and _DAY.match(last)):
            raise ValueError
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError as exc:
        raise DialectError(400, "bad_request", "tuNgay and denNgay must be YYYY-MM-DD") from exc
    period = f"{start.year:04d}-{start.month:02d}"
    month_end = date(start.year, start.month, monthrange(start.year, start.month)[1])
    if start.day != 1 or end != month_end:
        raise DialectError(
            400, "bad_request", "tuNgay..denNgay must be the first and last day of one month"
        )
    try:
        check_period(period)
    except ValueError as exc:
        raise DialectError(400, "bad_request", str(exc)) from exc
    return period


def handler(rows_for: RowsFor, token: str, plan: FaultPlan) -> Handler:
    def hoso(request: Request) -> Response:
        require_secret(request.headers.get("authorization", ""), f"Bearer {token}")
        province, query = province_of(request), request.query_params
        period = period_of(query.get("tuNgay"), query.get("denNgay"))
        size = page_size(query.get("pageSize"), "pageSize")
        start = decode_position(TAG, query.get("cursor"), "cursor")
        rows = rows_for(province, period)
        fault, page = faulted_window(plan, (province, NAME, period, ""), rows, start, size)
        more = start + size < len(rows)
        meta = {
            "nextCursor": encode_position(TAG, start + size) if more else None,
            "totalItems": len(rows) + (fault == "wrong_total"),
        }
        key = "data" if fault == "schema_mismatch" else "items"
        return answer(fault, {key: [translate(r) for r in page], "meta": meta}, {}, plan)

    return hoso
