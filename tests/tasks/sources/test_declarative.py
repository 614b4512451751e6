"""Sources described as data: every paginator type, data_selector, columns, values, formats.

Each test writes a plan file (the only thing a data engineer writes), serves
an API of a shape plan06 was not written around from pytest-httpserver, and
pulls it with the real pull (HTTP over a socket, landing, canonical typing).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tasks.plans import PlanFileError, load_plan
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.pull import pull_source

PERIOD = "2026-10"
TOKEN = "k-declarative"
COLUMNS = {  # kind field <- the vendor's snake_case, one of them nested
    "MaThuaDat": "ma_thua",
    "MaDonVi": "don_vi.ma",
    "NhomDuLieu": "nhom",
    "SoDinhDanhChuSuDung": "chu.so_dinh_danh",
    "ChuSuDungDaXacThuc": "da_xac_thuc",
    "GiayChungNhanDaQuet": "da_quet",
    "DaNhapCSDLDatDai": "da_nhap",
    "NgayCapNhat": "cap_nhat_luc",
}
VALUES = {f: {True: 1, False: 0} for f in ("ChuSuDungDaXacThuc", "GiayChungNhanDaQuet",
                                           "DaNhapCSDLDatDai")}  # fmt: skip


def parcel(i: int, **overrides: Any) -> dict[str, Any]:
    record = {
        "ma_thua": f"TD-25747-{i:07d}",
        "don_vi": {"ma": "25747", "ten": "Phường Thủ Dầu Một"},
        "nhom": 1,
        "chu": {"so_dinh_danh": f"074{i:09d}", "ho_ten": "Trần Thị Bình"},
        "da_xac_thuc": i % 2 == 0,
        "da_quet": True,
        "da_nhap": False,
        "cap_nhat_luc": f"2026-10-{1 + i % 28:02d}T08:30:00+07:00",
    }
    return record | overrides


def write_plan(folder: Path, source: dict[str, Any], dataset: dict[str, Any]) -> Path:
    plan = {
        "id": "vendor-plan",
        "name": "Kế hoạch thử nghiệm",
        "partner": {"name": "Bình Dương", "unit_code": "74"},
        "signed_on": "2024-11-14",
        "domains": ["dat_dai"],
        "slack_channel": "C0TESTPLAN",
        "task_groups": [{"id": "to-dat-dai", "name": "Tổ đất đai", "slack_channel": "C0TESTDD"}],
        "sources": {
            "api": {
                "kind": "http_api",
                "url_env": "VENDOR_URL",
                "token_env": "VENDOR_KEY",
                "simulator_province": "binh-duong",
                "auth": "api_key",
                "page_size": 3,
            }
            | source
        },
        "datasets": [
            {
                "id": "thua_dat",
                "kind": "land_parcels",
                "source": "api",
                "endpoint": "/v2/thua-dat",
                "suite": "land_parcels",
                "columns": COLUMNS,
                "values": VALUES,
                "formats": {"default": "iso8601"},
            }
            | dataset
        ],
        "targets": [
            {
                "id": "xac-thuc",
                "kpi": "land_owner_authenticated_rate",
                "scope": "dat_dai",
                "value": 0.9,
                "due": "2026-12-31",
                "task_group": "to-dat-dai",
            }
        ],
        "schedule": {"cron": "0 7 * * 1"},
    }
    path = folder / "vendor-plan.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def api(httpserver: HTTPServer, monkeypatch) -> HTTPServer:
    monkeypatch.setenv("VENDOR_URL", httpserver.url_for("/"))
    monkeypatch.setenv("VENDOR_KEY", TOKEN)
    return httpserver


def pull(tmp_path: Path, source: dict, dataset: dict | None = None) -> tuple[list[dict], Any]:
    plan = load_plan(write_plan(tmp_path, source, dataset or {}))
    landed, _ = pull_source(plan, plan.datasets[0], PERIOD, tmp_path / "b.parquet", {})
    return pq.read_table(landed.path).to_pylist(), landed


def serve_pages(server: HTTPServer, pages: list[tuple[Any, dict[str, str]]]) -> None:
    """Answer the i-th request with the i-th (body, headers), checking the API key."""
    answers = iter(pages)

    def handler(request: Request) -> Response:
        assert request.headers.get("X-API-Key") == TOKEN
        body, headers = next(answers)
        return Response(json.dumps(body), 200, headers, content_type="application/json")

    server.expect_request("/v2/thua-dat").respond_with_handler(handler)


RECORDS = [parcel(i) for i in range(7)]
CHUNKS = [RECORDS[0:3], RECORDS[3:6], RECORDS[6:7]]


def _link(server: HTTPServer, n: int) -> str:
    return server.url_for(f"/v2/thua-dat?after={n}")


PAGINATORS = {
    "page_number": (
        {"type": "page_number", "total_path": "meta.pages", "size_param": "size"},
        lambda s: [({"items": c, "meta": {"pages": 3}}, {}) for c in CHUNKS],
    ),
    "offset": (
        {"type": "offset", "total_path": "meta.total"},
        lambda s: [({"items": c, "meta": {"total": 7}}, {}) for c in CHUNKS],
    ),
    "cursor": (
        {"type": "cursor", "cursor_path": "meta.next", "cursor_param": "after"},
        lambda s: [
            ({"items": c, "meta": {"next": n}}, {})
            for c, n in zip(CHUNKS, ["c1", "c2", None], strict=True)
        ],
    ),
    "json_link": (
        {"type": "json_link", "next_url_path": "links.next"},
        lambda s: [
            ({"items": c, "links": {"next": n}}, {})  # a relative link resolves too
            for c, n in zip(CHUNKS, ["/v2/thua-dat?after=3", _link(s, 6), None], strict=True)
        ],
    ),
    "header_link": (
        {"type": "header_link", "total_records_header": "X-Total-Count"},
        lambda s: [
            ({"items": c}, {"X-Total-Count": "7"} | ({"Link": f'<{n}>; rel="next"'} if n else {}))
            for c, n in zip(CHUNKS, [_link(s, 3), _link(s, 6), None], strict=True)
        ],
    ),
    "single_page": ({"type": "single_page"}, lambda s: [({"items": RECORDS}, {})]),
}


@pytest.mark.parametrize("style", sorted(PAGINATORS))
def test_every_paginator_type_lands_every_record_once_typed(api, tmp_path, style):
    paginator, pages = PAGINATORS[style]
    serve_pages(api, pages(api))
    rows, landed = pull(tmp_path, {"paginator": paginator, "data_selector": "items"})
    assert [r["MaThuaDat"] for r in rows] == [r["ma_thua"] for r in RECORDS]
    assert landed.rows == 7 and len(api.log) == len(pages(api))
    first = rows[0]
    assert first["MaDonVi"] == "25747" and first["NhomDuLieu"] == 1
    assert first["SoDinhDanhChuSuDung"] == "074000000000"  # landed raw, pseudonymised in staging
    assert (first["ChuSuDungDaXacThuc"], first["GiayChungNhanDaQuet"]) == (1, 1)
    assert first["DaNhapCSDLDatDai"] == 0
    assert first["NgayCapNhat"] == datetime(2026, 10, 1, 8, 30)  # local time, offset applied
    assert all(r["_defect"] is None for r in rows)
    assert "ho_ten" not in json.dumps(rows, default=str)  # the owner's name is not landed


def test_offsets_and_epoch_milliseconds_become_local_time(api, tmp_path):
    stamps = ["2026-10-05T01:30:00Z", "2026-10-05T08:30:00+07:00", "2026-10-05T08:30:00"]
    records = [parcel(i, cap_nhat_luc=s) for i, s in enumerate(stamps)]
    records.append(parcel(3, cap_nhat_luc=1791163800000))  # 2026-10-05T01:30:00Z in ms
    serve_pages(api, [({"items": records}, {})])
    rows, _ = pull(
        tmp_path,
        {"paginator": {"type": "single_page"}, "data_selector": "items"},
        {"formats": {"default": "iso8601", "NgayCapNhat": ["iso8601", "epoch_ms"]}},
    )
    assert {r["NgayCapNhat"] for r in rows} == {datetime(2026, 10, 5, 8, 30)}


def test_a_link_header_that_loops_fails_once_with_what_to_do(api, tmp_path):
    loop = {"Link": f'<{_link(api, 3)}>; rel="next"'}
    serve_pages(api, [({"items": CHUNKS[0]}, loop), ({"items": CHUNKS[1]}, loop)])
    with pytest.raises(PermanentSourceError, match="points back to a page already read"):
        pull(tmp_path, {"paginator": {"type": "header_link"}, "data_selector": "items"})
    assert not (tmp_path / "b.parquet").exists()


def test_a_wrong_data_selector_names_what_the_page_holds(api, tmp_path):
    serve_pages(api, [({"result": {"data": RECORDS, "count": 7}}, {})])
    with pytest.raises(PermanentSourceError) as error:
        pull(tmp_path, {"paginator": {"type": "single_page"}, "data_selector": "data"})
    assert "data_selector 'data'" in str(error.value)
    assert "result: {data: [...], count}" in str(error.value)


def test_a_field_mapped_to_nothing_fails_before_anything_lands(api, tmp_path):
    serve_pages(api, [({"items": RECORDS}, {})])
    columns = COLUMNS | {"NhomDuLieu": "nhom_du_lieu"}
    with pytest.raises(PermanentSourceError) as error:
        pull(
            tmp_path,
            {"paginator": {"type": "single_page"}, "data_selector": "items"},
            {"columns": columns},
        )
    message = str(error.value)
    assert "vendor-plan/thua_dat: field NhomDuLieu is mapped from 'nhom_du_lieu'" in message
    assert "ma_thua" in message and "don_vi: {ma, ten}" in message
    assert not (tmp_path / "b.parquet").exists()


def test_a_date_in_an_undeclared_format_fails_the_pull_with_a_masked_sample(api, tmp_path):
    records = [parcel(i, cap_nhat_luc=f"{1 + i:02d}/10/2026") for i in range(7)]
    serve_pages(api, [({"items": records}, {})])
    with pytest.raises(PermanentSourceError) as error:
        pull(tmp_path, {"paginator": {"type": "single_page"}, "data_selector": "items"}, {})
    message = str(error.value)
    assert "field NgayCapNhat (source field 'cap_nhat_luc')" in message
    assert "7 of 7 rows match no declared format (iso8601)" in message
    assert "'99/99/9999'" in message and "nothing was loaded" in message


def test_one_value_outside_its_map_is_a_row_defect_many_fail_the_pull(api, tmp_path):
    one = [*RECORDS[:6], parcel(6, da_quet="có lẽ")]
    serve_pages(api, [({"items": one}, {})])
    rows, _ = pull(tmp_path, {"paginator": {"type": "single_page"}, "data_selector": "items"})
    defects = [r["_defect"] for r in rows]
    assert defects == [None] * 6 + ["GiayChungNhanDaQuet: value not in the plan's value map"]
    many = [parcel(i, da_quet="Có") for i in range(7)]
    api.clear()
    serve_pages(api, [({"items": many}, {})])
    with pytest.raises(PermanentSourceError, match="7 of 7 rows hold a value outside"):
        pull(tmp_path, {"paginator": {"type": "single_page"}, "data_selector": "items"})


@pytest.mark.parametrize(
    ("source", "dataset", "expected"),
    [
        ({"paginator": {"type": "next_page"}}, {}, "paginator.type"),
        ({"paginator": {"type": "offset", "cursor_path": "x"}}, {},
         "cursor_path do(es) not apply to a offset paginator"),
        ({"paginator": {"type": "single_page"}, "params": {"thang": "{month}"}}, {},
         "unknown template {month}"),
        ({"paginator": {"type": "single_page"}}, {"columns": {"MaThua": "ma_thua"}},
         "columns.MaThua: not a field of kind land_parcels"),
        ({"paginator": {"type": "single_page"}}, {"formats": {"NgayCapNhat": "dd/mm/yyyy"}},
         "unknown date format 'dd/mm/yyyy'"),
        ({"pagination": "cursor"}, {}, "`pagination` is replaced by `paginator:"),
    ],
)  # fmt: skip
def test_plan_files_with_wrong_source_keys_say_what_to_change(tmp_path, source, dataset,
                                                              expected):  # fmt: skip
    with pytest.raises(PlanFileError) as error:
        load_plan(write_plan(tmp_path, source, dataset))
    assert expected in str(error.value)


def refused_components(api: HTTPServer, tmp_path: Path, components: list[list[dict]]) -> str:
    """The message of a pull of dossiers whose ThanhPhanHoSo are `components`, one a record."""
    records = [{"ma": f"X-{i}", "thanh_phan": c} for i, c in enumerate(components)]
    serve_pages(api, [({"items": records}, {})])
    dataset = {"kind": "dossiers", "suite": "dossiers",
               "columns": {"MaHoSo": "ma", "ThanhPhanHoSo": "thanh_phan"},
               "values": {}, "formats": {}}  # fmt: skip
    with pytest.raises(PermanentSourceError) as error:
        pull(tmp_path, {"paginator": {"type": "single_page"}, "data_selector": "items"}, dataset)
    return str(error.value)


def test_list_items_mapped_to_names_no_item_has_fail_the_pull(api, tmp_path):
    # a dossier source whose components use other names than the plan maps
    message = refused_components(api, tmp_path, [[{"ten": "Tờ khai", "so_hoa": True}]] * 3)
    assert "ThanhPhanHoSo: none of its 3 items has the field 'DuocSoHoa'" in message
    assert "the items carry: so_hoa, ten" in message


def test_list_items_that_carry_the_name_but_never_convert_are_unreadable_not_unmapped(
    api, tmp_path
):  # the typed landing has no DuocSoHoa at all: the check reads the text to tell why
    item = {"TenGiayTo": "Tờ khai", "DuocSoHoa": "có lẽ", "DuocLayTuKhoDMQG": 0}
    message = refused_components(api, tmp_path, [[item]] * 12)
    assert "none of its" not in message
    assert "field ThanhPhanHoSo (source field 'thanh_phan'): 12 of 12 rows" in message
