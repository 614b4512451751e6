"""`plan06 sources probe`: the mapping it proposes is the one an engineer would write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tasks.datasets import dataset_kind
from tasks.sources.probe import mask, propose
from tests.landing import LAND

PLAN06 = str(Path(sys.executable).with_name("plan06"))


def test_vietnamese_headers_map_to_the_kind_as_the_seed_plan_maps_them():
    header = list(LAND.columns.values())  # the Đồng Nai drop's own headers, with diacritics
    record = dict.fromkeys(header, "1") | {"Ngày cập nhật": "05/10/2026", "Tên đơn vị": "x"}
    proposal = propose(dataset_kind("land_parcels"), [record])
    assert proposal.columns == LAND.columns  # 'Đã quét GCN' is GiayChungNhanDaQuet, and so on
    assert proposal.formats == {"default": "%d/%m/%Y"} and proposal.unused == ["Tên đơn vị"]


def test_nested_camel_case_and_yes_no_spellings_are_proposed():
    record = {
        "maThua": "TD-1",
        "donVi": {"ma": "25747"},
        "chuSuDung": {"daXacThuc": "Có", "soDinhDanh": "074000000001", "hoTen": "Lê Văn Tám"},
        "ngayCapNhat": 1791163800000,
    }
    proposal = propose(dataset_kind("land_parcels"), [record, record | {"chuSuDung": {
        "daXacThuc": "Không", "soDinhDanh": "074000000002", "hoTen": "Lê Văn Tám"}}])  # fmt: skip
    assert proposal.columns["MaDonVi"] == "donVi.ma"
    assert proposal.columns["ChuSuDungDaXacThuc"] == "chuSuDung.daXacThuc"
    assert proposal.values["ChuSuDungDaXacThuc"] == {"Có": 1, "Không": 0}
    assert proposal.formats == {"default": "epoch_ms"}
    assert "NhomDuLieu" in proposal.unmatched  # nothing like it: left for the engineer
    assert mask("Lê Văn Tám", "chuSuDung.hoTen") == "(họ tên: ẩn)"
    assert mask("074000000001", "chuSuDung.soDinhDanh") == "999999999999"


def test_probe_on_a_file_drop_prints_fields_and_writes_the_mapping(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    source = Path("flows/plans/dong-nai-cu-tru-dat-dai.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(source)
    entry = next(d for d in data["datasets"] if d["id"] == "land_parcels")
    entry.pop("columns"), entry.pop("formats")  # as a new plan starts: no mapping yet
    (plans / "dong-nai-cu-tru-dat-dai.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    env = {**os.environ, "PLAN06_PLANS_DIR": str(plans), "PLAN06_DATA_DIR": str(tmp_path)}
    args = ["sources", "probe", "dong-nai-cu-tru-dat-dai", "land_parcels", "--period", "2026-10"]
    run = subprocess.run([PLAN06, *args, "--write"], env=env, capture_output=True, text=True,
                         timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Số định danh chủ sử dụng" in run.stdout and "999999999999" in run.stdout
    written = yaml.safe_load((plans / "dong-nai-cu-tru-dat-dai.yaml").read_text(encoding="utf-8"))
    entry = next(d for d in written["datasets"] if d["id"] == "land_parcels")
    assert entry["columns"] == LAND.columns and entry["formats"] == {"default": "%d/%m/%Y"}
    check = subprocess.run([PLAN06, "plans", "check"], env=env, capture_output=True, text=True,
                           timeout=300)  # fmt: skip
    assert check.returncode == 0, check.stderr
