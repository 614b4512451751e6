"""Generated dossiers: determinism, periods, volumes, field shapes, NFC."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from simulator.generator import PROVINCES, generate_dossiers
from simulator.units import load_units
from tests.simulator.checks import STATUSES, is_nfc, row_defects, strings

REPO = Path(__file__).resolve().parents[2]


def _digest(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def test_same_arguments_give_the_same_bytes_in_another_process() -> None:
    here = _digest(generate_dossiers("kien-giang", "2025-09", seed=3))
    code = (
        "import hashlib, json; from simulator.generator import generate_dossiers; "
        "rows = generate_dossiers('kien-giang', '2025-09', seed=3); "
        "print(hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # a salted hash() must not matter
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == here


def test_seed_and_province_change_the_data() -> None:
    base = _digest(generate_dossiers("dong-nai", "2025-09", seed=0))
    assert _digest(generate_dossiers("dong-nai", "2025-09", seed=1)) != base
    assert _digest(generate_dossiers("binh-duong", "2025-09", seed=0)) != base


@pytest.mark.parametrize("period", ["2024-11", "2025-02", "2025-12", "2028-02"])
def test_every_dossier_was_received_inside_the_period(period: str) -> None:
    for province in PROVINCES:
        rows = generate_dossiers(province, period)
        assert rows
        assert {row["NgayTiepNhan"][:6] for row in rows} == {period.replace("-", "")}


def test_volume_stays_in_bounds_and_follows_scale() -> None:
    for province in PROVINCES:
        counts = [len(generate_dossiers(province, f"2025-{m:02d}")) for m in range(1, 13)]
        assert all(800 <= n <= 1520 for n in counts), counts  # duplicates add ~0.1%
        assert len(set(counts)) > 6  # varies month to month
    small = len(generate_dossiers("dong-nai", "2025-05", scale=0.1))
    assert 75 <= small <= 155


def test_a_full_period_generates_well_under_a_second() -> None:
    started = time.perf_counter()
    rows = generate_dossiers("binh-duong", "2025-04", seed=99)
    assert len(rows) >= 1000
    assert time.perf_counter() - started < 1.0


def test_clean_rows_have_the_portal_field_shapes() -> None:
    known = {unit.unit_code for unit in load_units()}
    rows = generate_dossiers("binh-duong", "2025-10")
    clean = [row for row in rows if not row_defects(row, known)]
    assert len(clean) > 0.95 * len(rows)
    for row in clean:
        assert re.fullmatch(r"\d\.\d{6}", row["MaTTHC"])
        assert row["LinhVuc"] in {"cu_tru", "dat_dai", "ho_tich", "ly_lich_tu_phap"}
        assert row["MucDoDVC"] in {"TOAN_TRINH", "MOT_PHAN"}
        assert row["TrangThaiHoSo"] in STATUSES
        assert row["NgayNopHoSo"] <= row["NgayTiepNhan"] <= row["NgayCapNhat"]
        assert 1 <= len(row["ThanhPhanHoSo"]) <= 4
        link = row["DuongDanTepTinKetQua"]
        assert link is None or link.startswith("https://")
        assert {row["DongBoDVCQG"], row["KetQuaDuocSoHoa"]} <= {0, 1}
        assert row["SoGiayToChuHoSo"][3] in "0123"


def test_every_string_is_nfc_except_deliberate_nfd_statuses() -> None:
    nfd_statuses = 0
    for province in PROVINCES:
        for text in strings(generate_dossiers(province, "2025-03")):
            if not is_nfc(text):
                assert unicodedata.normalize("NFC", text) in STATUSES
                nfd_statuses += 1
    assert nfd_statuses >= 1
