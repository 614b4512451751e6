"""Staging types the landed text: pinned dates, duplicates ranked, components counted."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tasks.datasets import dataset_kind
from tasks.load.stage import stage_batch
from tests.tasks.sources.records import KEY, dossier, land, stage, staged_rows


def staged(records: list[dict[str, Any]], folder: Path, columns: str) -> list[tuple[Any, ...]]:
    return staged_rows(stage(records, folder), columns)


def test_stage_batch_returns_the_row_count_and_replaces_an_old_file(tmp_path: Path) -> None:
    landed = land([dossier(1), dossier(2), dossier(3)], tmp_path / "landed.parquet")
    target = tmp_path / "staged.duckdb"
    target.write_bytes(b"left over from an earlier attempt")
    assert stage_batch(landed, target, KEY, dataset_kind("dossiers")) == 3
    assert staged_rows(target, "row_number") == [(1,), (2,), (3,)]


def test_portal_timestamps_are_read_with_the_pinned_format(tmp_path: Path) -> None:
    # 01/02 would be 1 Feb or 2 Jan depending on a sniffer; the pinned format says 2 Jan.
    rows = staged([dossier(1, NgayTiepNhan="20260102030405")], tmp_path, "received_at")
    assert rows == [(datetime(2026, 1, 2, 3, 4, 5),)]


@pytest.mark.parametrize(
    "text",
    [
        "02/01/2026 03:04:05",  # dd/mm/yyyy
        "01/02/2026 03:04:05",  # mm/dd/yyyy
        "2026-01-02 03:04:05",
        "2026-01-02T03:04:05+07:00",
        "20261302030405",  # month 13
        "20260231030405",  # 31 February
        "202601020304",  # no seconds
        "46024",  # an Excel serial day
        "",
    ],
)
def test_a_date_in_another_format_becomes_null_not_a_guess(tmp_path: Path, text: str) -> None:
    records = [dossier(1, NgayTiepNhan=text, NgayHenTra=text, NgayKetThucXuLy=text)]
    assert staged(records, tmp_path, "received_at, due_at, finished_at") == [(None,) * 3]


def test_received_period_follows_the_received_date(tmp_path: Path) -> None:
    records = [dossier(1, NgayTiepNhan="20260930235959"), dossier(2, NgayTiepNhan="x")]
    assert staged(records, tmp_path, "received_period") == [("2026-09",), (None,)]


def test_duplicates_rank_the_latest_update_first(tmp_path: Path) -> None:
    records = [
        dossier(1, NgayCapNhat="20261010100000", TrangThaiHoSo="Đang xử lý"),
        dossier(1, NgayCapNhat="20261011100000"),
        dossier(2),
    ]
    rows = staged(records, tmp_path, "dossier_code, status, key_copy")
    assert rows == [
        ("G22.74.05-261005-0001", "Đang xử lý", 2),
        ("G22.74.05-261005-0001", "Đã trả kết quả", 1),
        ("G22.74.05-261005-0002", "Đã trả kết quả", 1),
    ]


def test_a_copy_without_update_date_loses_and_ties_keep_landed_order(tmp_path: Path) -> None:
    code = "G22.74.05-261005-0001"
    records = [
        dossier(1, NgayCapNhat=None),
        dossier(1, MaHoSo=f" {code} "),  # the same code, padded
        dossier(1),
    ]
    assert staged(records, tmp_path, "dossier_code, key_copy") == [
        (code, 3), (code, 1), (code, 2),
    ]  # fmt: skip


def components(*flags: tuple[int, int]) -> list[dict[str, Any]]:
    return [{"TenGiayTo": f"Giấy {i}", "DuocSoHoa": d, "DuocLayTuKhoDMQG": r}
            for i, (d, r) in enumerate(flags)]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (components((1, 1), (1, 0), (0, 0)), (3, 2, 1)),
        (components((0, 0)), (1, 0, 0)),
        ([], (0, 0, 0)),
        pytest.param(
            None,
            (0, 0, 0),
            id="missing",
        ),
    ],
)
def test_component_counts_come_from_the_json_list(
    tmp_path: Path, value: Any, expected: tuple[int, int, int]
) -> None:
    columns = "n_components, n_components_digitised, n_components_reused"
    assert staged([dossier(1, ThanhPhanHoSo=value)], tmp_path, columns) == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("074123456789", "cccd12"),
        ("123456789", "cmnd9"),
        ("07412345678", "invalid"),  # a CCCD that lost its leading zero
        ("07412345678X", "invalid"),
        (None, None),
    ],
)
def test_applicant_id_format(tmp_path: Path, value: str | None, expected: str | None) -> None:
    records = [dossier(1, SoGiayToChuHoSo=value)]
    assert staged(records, tmp_path, "applicant_id_format") == [(expected,)]


def test_text_is_trimmed_and_nfc_normalised(tmp_path: Path) -> None:
    records = [dossier(1, TrangThaiHoSo=" Đã trả kết quả ".replace("ả", "a\u0309"), MaTTHC="")]
    assert staged(records, tmp_path, "status, procedure_code") == [("Đã trả kết quả", None)]


@pytest.mark.parametrize(("value", "expected"), [(2, 2), ("3", 3), (None, 1), (7, 7)])
def test_channel_is_typed_and_missing_means_in_person(
    tmp_path: Path, value: Any, expected: int
) -> None:
    assert staged([dossier(1, KenhThucHien=value)], tmp_path, "channel") == [(expected,)]


def test_an_unreadable_channel_is_not_counted_as_in_person(tmp_path: Path) -> None:
    assert staged([dossier(1, KenhThucHien="truc tuyen")], tmp_path, "channel") != [(1,)]
