"""Deterministic dossiers for one (province, period, seed).

The same arguments always give the same rows in the same order, byte for
byte: the random stream is seeded from a SHA-256 of the arguments (Python's
`hash()` is salted per process, so it cannot be used).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from functools import lru_cache

from simulator.as_of import as_of
from simulator.catalog import load_catalog
from simulator.defects import inject_defects
from simulator.dossier import PeriodContext, Record, build_dossier
from simulator.periods import Period
from simulator.profiles import ProvinceProfile, load_profiles
from simulator.units import AdminUnit, communes_for, load_units

PROVINCES: tuple[str, ...] = tuple(load_profiles().provinces)

# Offices receive dossiers 07:30-17:00; Saturdays are half days, Sundays rare.
_OPEN, _CLOSE = 7 * 3600 + 1800, 17 * 3600
_DAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.25, 0.02)


def stable_seed(*parts: object) -> int:
    """A 64-bit seed that is the same in every process and Python version."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def check_period(period: str) -> Period:
    """Parse `period` and check the simulator serves it; raise ValueError if not."""
    parsed = Period.parse(period)
    load_profiles().check_period(parsed)
    return parsed


def generate_dossiers(
    province: str,
    period: str,
    seed: int = 0,
    scale: float = 1.0,
    cut_at: datetime | None = None,
) -> list[Record]:
    """All dossiers `province` received in `period`, bad rows included, sorted by MaHoSo.

    With `cut_at`, each clean dossier is shown as it stood then (simulator/as_of.py):
    no finish, result or update after it, except as a deliberate defect.
    """
    if province not in PROVINCES:
        raise ValueError(f"unknown province {province!r}; known: {', '.join(PROVINCES)}")
    parsed = check_period(period)
    profiles = load_profiles()
    rng = random.Random(stable_seed(province, parsed, seed))
    units = communes_for(_units(), province, parsed.first_day)
    ctx = PeriodContext(
        province, profiles.provinces[province], profiles.rates(province, parsed), load_catalog()
    )
    count = monthly_volume(rng, ctx.profile, parsed, scale) if units else 0
    rows = [
        build_dossier(rng, ctx, received, unit.unit_code, code)
        for received, unit, code in _numbered(rng, parsed, units, count)
    ]
    if cut_at is not None:
        rows = [as_of(row, cut_at) for row in rows]
    known = frozenset(unit.unit_code for unit in _units())
    inject_defects(rng, rows, profiles.bad_row_share, known)
    rows.sort(key=lambda row: row["MaHoSo"] or "")  # stable: duplicates stay adjacent
    return rows


def monthly_volume(
    rng: random.Random, profile: ProvinceProfile, period: Period, scale: float
) -> int:
    """Dossier count: a yearly cycle plus noise, kept within the configured bounds."""
    season = math.cos(2 * math.pi * (period.month - 4) / 12)  # busiest around April
    swing = profile.volume_swing * (0.6 * season + rng.uniform(-0.4, 0.4))
    low, high = load_profiles().volume_bounds
    return round(min(max(profile.volume * (1 + swing), low), high) * scale)


def _numbered(
    rng: random.Random, period: Period, units: list[AdminUnit], count: int
) -> Iterator[tuple[datetime, AdminUnit, str]]:
    """Receipt times in order, each with its commune and MaHoSo.

    MaHoSo = `<agency>-YYMMDD-XXXX`, XXXX being the agency's sequence that day,
    which is why times are drawn first and numbered in order.
    """
    days = rng.choices(period.days, [_DAY_WEIGHTS[d.weekday()] for d in period.days], k=count)
    times = sorted(
        datetime.combine(day, time()) + timedelta(seconds=rng.randrange(_OPEN, _CLOSE))
        for day in days
    )
    sequence: defaultdict[tuple[str, str], int] = defaultdict(int)
    for received in times:
        index = rng.randrange(len(units))
        agency = f"G22.{units[index].province_code}.{index + 1:02d}"
        day = received.strftime("%y%m%d")
        sequence[agency, day] += 1
        yield received, units[index], f"{agency}-{day}-{sequence[agency, day]:04d}"


@lru_cache(maxsize=1)
def _units() -> tuple[AdminUnit, ...]:
    return tuple(load_units())
