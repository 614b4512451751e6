"""Deterministic records of the plans' other datasets, per (province, period, seed).

Land parcels (Plan 515 groups and steps), residence records, civil-status
registers and judicial-record counts. Shares climb month by month from the
campaign start, as the real campaigns did; about 2% of rows carry one defect
each (missing key, unit outside the area, unreadable flag, date outside the
period, duplicate) so validation has something to quarantine.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta

from simulator.catalog import load_catalog
from simulator.dossier import Record
from simulator.generator import _units, check_period, stable_seed
from simulator.people import synthetic_person
from simulator.periods import Period, stamp
from simulator.profiles import load_profiles
from simulator.service_indicators import service_indicator_rows
from simulator.units import communes_for

ROWS_PER_UNIT = {"land_parcels": 40, "residence_records": 50, "civil_status_registers": 4}
DEFECT_SHARE = 0.02
_START = Period(2024, 11)  # the coordination plans were signed in 11/2024


def _share(period: Period, base: float, ceiling: float) -> float:
    return ceiling - (ceiling - base) * 0.92 ** period.months_since(_START)


def _updated(rng: random.Random, period: Period) -> str:
    day = rng.choice(period.days)
    return stamp(datetime.combine(day, time(8)) + timedelta(minutes=rng.randrange(9 * 60)))


def _land(rng: random.Random, p: Period, unit: str, seq: int, province: str) -> Record:
    group = rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]
    auth = rng.random() < _share(p, 0.55, 0.97)
    births = load_profiles().provinces[province].birth_provinces
    _, owner = synthetic_person(rng, load_catalog().names, births)
    return {
        "MaThuaDat": f"TD-{unit}-{seq:07d}",
        "MaDonVi": unit,
        "NhomDuLieu": group,
        "SoDinhDanhChuSuDung": owner,
        "ChuSuDungDaXacThuc": int(auth),
        "GiayChungNhanDaQuet": int(rng.random() < _share(p, 0.4, 0.95)),
        "DaNhapCSDLDatDai": int(group == 1 or rng.random() < _share(p, 0.3, 0.9)),
        "NgayCapNhat": _updated(rng, p),
    }


def _residence(rng: random.Random, p: Period, unit: str, seq: int, province: str) -> Record:
    digitised = rng.random() < _share(p, 0.6, 0.98)
    cleansed = digitised and rng.random() < _share(p, 0.6, 0.97)
    births = load_profiles().provinces[province].birth_provinces
    _, person = synthetic_person(rng, load_catalog().names, births)
    return {
        "MaHoSoCuTru": f"CT-{unit}-{seq:07d}",
        "LoaiHoSo": rng.choices(("ho", "nhan_khau"), (0.3, 0.7))[0],
        "MaDonVi": unit,
        "SoDinhDanh": person,
        "DaSoHoa": int(digitised),
        "DaLamSach": int(cleansed),
        "DaXacThuc": int(cleansed and rng.random() < _share(p, 0.7, 0.99)),
        "NgayCapNhat": _updated(rng, p),
    }


def _register(rng: random.Random, p: Period, unit: str, seq: int, province: str) -> Record:
    entries = rng.randint(50, 400)
    kind = rng.choice(("khai_sinh", "ket_hon", "khai_tu", "nhan_cha_me_con", "giam_ho"))
    return {
        "MaSo": f"SHT-{unit}-{seq:06d}",
        "MaDonVi": unit,
        "LoaiSo": kind,
        "NamDangKy": rng.randint(1976, 2024),
        "SoBanGhi": entries,
        "SoBanGhiDaSoHoa": round(entries * min(1.0, _share(p, 0.5, 1.0) + rng.uniform(0, 0.1))),
        "NgayCapNhat": _updated(rng, p),
    }


_BUILDERS: dict[str, Callable[[random.Random, Period, str, int, str], Record]] = {
    "land_parcels": _land,
    "residence_records": _residence,
    "civil_status_registers": _register,
}
KINDS = (*_BUILDERS, "judicial_records", "service_indicators")


def generate_records(
    kind: str, province: str, period: str, seed: int = 0, scale: float = 1.0
) -> list[Record]:
    """All rows of `kind` for `province` in `period`, bad rows included, in key order."""
    parsed = check_period(period)
    rng = random.Random(stable_seed(kind, province, parsed, seed))
    units = [u.unit_code for u in communes_for(_units(), province, parsed.first_day)]
    if kind == "judicial_records":
        rows = [_judicial(rng, parsed, unit) for unit in units]
    elif kind == "service_indicators":
        rows = service_indicator_rows(rng, parsed, units)
    else:
        per_unit = max(1, round(ROWS_PER_UNIT[kind] * scale))
        base = parsed.months_since(Period(2020, 1)) * 10_000
        rows = [
            _BUILDERS[kind](rng, parsed, unit, base + i * 100 + n, province)
            for i, unit in enumerate(units)
            for n in range(per_unit)
        ]
    _spoil(rng, kind, rows)
    return rows


def _judicial(rng: random.Random, p: Period, unit: str) -> Record:
    issued = rng.randint(20, 200)
    return {
        "MaDonVi": unit,
        "KyBaoCao": str(p),
        "SoPhieuDaCap": issued,
        "SoPhieuQuaVNeID": round(issued * _share(p, 0.3, 0.9)),
    }


def _spoil(rng: random.Random, kind: str, rows: list[Record]) -> None:
    """Give about DEFECT_SHARE of the rows one defect each; duplicates are appended."""
    count = max(1, round(len(rows) * DEFECT_SHARE)) if len(rows) >= 20 else 0
    key, flag = {
        "land_parcels": ("MaThuaDat", "ChuSuDungDaXacThuc"),
        "residence_records": ("MaHoSoCuTru", "DaXacThuc"),
        "civil_status_registers": ("MaSo", "SoBanGhiDaSoHoa"),
        "judicial_records": ("KyBaoCao", "SoPhieuQuaVNeID"),
        "service_indicators": ("MaChiSo", "TuSo"),
    }[kind]
    for turn, position in enumerate(sorted(rng.sample(range(len(rows)), count))):
        row = rows[position]
        defect = turn % 4
        if defect == 0:
            row[key] = None
        elif defect == 1:
            row["MaDonVi"] = "99999"
        elif defect == 2:
            row[flag] = "x"
        else:
            rows.append(dict(row))
