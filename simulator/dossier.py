"""One synthetic dossier, shaped like a record synced to the national portal."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from simulator.catalog import Catalog
from simulator.people import synthetic_person, weighted
from simulator.periods import add_working_days, stamp
from simulator.profiles import ProvinceProfile, RateValues

Record = dict[str, Any]


@dataclass(frozen=True)
class PeriodContext:
    """Everything a dossier of one province-period depends on besides chance."""

    province: str
    profile: ProvinceProfile
    rates: RateValues
    catalog: Catalog


def build_dossier(
    rng: random.Random, ctx: PeriodContext, received: datetime, unit_code: str, ma_ho_so: str
) -> Record:
    """Draw one clean dossier received at `received` by commune `unit_code`."""
    domain_code = weighted(rng, ctx.profile.domains)
    domain = ctx.catalog.domains[domain_code]
    procedure = rng.choice(domain.procedures)
    channel, level = _channel(rng, ctx.rates.online)
    due = add_working_days(received, procedure.days)
    status, finished = _outcome(rng, ctx, received, due)
    name, cccd = synthetic_person(rng, ctx.catalog.names, ctx.profile.birth_provinces)
    record: Record = {
        "MaHoSo": ma_ho_so,
        "MaTTHC": procedure.code,
        "MaDonVi": unit_code,
        "LinhVuc": domain_code,
        "KenhThucHien": channel,
        "MucDoDVC": level,
        "NgayNopHoSo": stamp(received - _submission_lead(rng, channel)),
        "NgayTiepNhan": stamp(received),
        "NgayHenTra": stamp(due),
        "NgayKetThucXuLy": stamp(finished) if finished else None,
        "TrangThaiHoSo": status,
        "SoGiayToChuHoSo": cccd,
        "ChuHoSo": name,
        "ThanhPhanHoSo": _components(rng, domain.components, ctx.rates),
    }
    record.update(_result(rng, ctx, status))
    record["DongBoDVCQG"] = int(rng.random() < ctx.rates.synced)
    record["NgayCapNhat"] = stamp((finished or received) + timedelta(minutes=rng.randint(1, 240)))
    record.update(_supplements(ma_ho_so, received, due, status, finished))
    return record


def _supplements(
    ma_ho_so: str, received: datetime, due: datetime, status: str, finished: datetime | None
) -> Record:
    """Supplement requests (yêu cầu bổ sung): how many, and the first one's pause.

    A separate random stream seeded by the dossier code, so adding these fields
    left every other field of every simulated dossier unchanged.
    """
    sub = random.Random(f"supplement:{ma_ho_so}")
    waiting = status == "Yêu cầu bổ sung"
    if not waiting and (finished is None or sub.random() >= 0.08):
        return {"SoLanBoSung": 0, "NgayYeuCauBoSung": None, "NgayNhanBoSung": None}
    asked = received + (min(finished or due, due) - received) * sub.uniform(0.1, 0.5)
    # the supplement arrives before the dossier can be finished
    supplied = None if waiting else min(asked + timedelta(hours=sub.randint(4, 96)), finished)
    return {
        "SoLanBoSung": 1 if waiting or sub.random() < 0.85 else 2,
        "NgayYeuCauBoSung": stamp(asked),
        "NgayNhanBoSung": stamp(supplied) if supplied else None,
    }


def _channel(rng: random.Random, online_rate: float) -> tuple[int | None, str]:
    """KenhThucHien and MucDoDVC; null channel means in person, as on the portal."""
    if rng.random() < online_rate:
        return 2, "TOAN_TRINH" if rng.random() < 0.9 else "MOT_PHAN"
    if rng.random() < 0.03:
        return 3, "MOT_PHAN"
    return (None if rng.random() < 0.25 else 1), "MOT_PHAN"


def _submission_lead(rng: random.Random, channel: int | None) -> timedelta:
    # Online dossiers wait in a queue before an official receives them.
    if channel == 2:
        return timedelta(minutes=rng.randint(5, 2 * 24 * 60))
    return timedelta(minutes=rng.randint(0, 20))


def _outcome(
    rng: random.Random, ctx: PeriodContext, received: datetime, due: datetime
) -> tuple[str, datetime | None]:
    """Status and finish time; late finishes follow the province's on-time rate."""
    status = weighted(rng, ctx.catalog.statuses.weights)
    if status in ctx.catalog.statuses.unfinished:
        return status, None
    if rng.random() < ctx.rates.on_time:
        return status, received + (due - received) * rng.uniform(0.2, 1.0)
    return status, due + timedelta(hours=rng.randint(4, 240))


def _components(rng: random.Random, names: tuple[str, ...], rates: RateValues) -> list[Record]:
    """1-4 attached documents; a reused one is by definition digitised."""
    picked = rng.sample(names, rng.randint(1, min(4, len(names))))
    reused = rng.randrange(len(picked)) if rng.random() < rates.reuse else -1
    return [
        {
            "TenGiayTo": name,
            "DuocSoHoa": int(index == reused or rng.random() < rates.digitised),
            "DuocLayTuKhoDMQG": int(index == reused),
        }
        for index, name in enumerate(picked)
    ]


def _result(rng: random.Random, ctx: PeriodContext, status: str) -> Record:
    """Result code and e-result link, only for dossiers that produced a result."""
    if status not in ctx.catalog.statuses.with_result:
        return {"MaKetQua": None, "DuongDanTepTinKetQua": None, "KetQuaDuocSoHoa": 0}
    token = f"{rng.getrandbits(64):016x}"
    # `.invalid` is a reserved TLD: links look real but can never resolve.
    link = f"https://ketqua.{ctx.province}.dvc.invalid/{token}.pdf"
    electronic = rng.random() < ctx.rates.e_result
    return {
        "MaKetQua": f"KQ-{token[:12].upper()}",
        "DuongDanTepTinKetQua": link if electronic else None,
        "KetQuaDuocSoHoa": int(electronic or rng.random() < 0.2),
    }
