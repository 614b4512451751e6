"""Monthly reporting periods, written YYYY-MM."""

from __future__ import annotations

import re
from datetime import date

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(text: str) -> tuple[int, int]:
    match = PERIOD.fullmatch(text)
    if not match:
        raise ValueError(f"period {text!r} must be a month written YYYY-MM, e.g. 2026-10")
    return int(match.group(1)), int(match.group(2))


def shift(period: str, months: int) -> str:
    year, month = parse_period(period)
    index = year * 12 + month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def last_periods(count: int, today: date | None = None) -> list[str]:
    """The `count` complete months before today's, oldest first."""
    today = today or date.today()
    current = f"{today.year:04d}-{today.month:02d}"
    return [shift(current, -n) for n in range(count, 0, -1)]


def period_range(first: str, last: str) -> list[str]:
    """Every month from first to last, inclusive."""
    parse_period(first)
    parse_period(last)
    periods, period = [], first
    while period <= last:
        periods.append(period)
        period = shift(period, 1)
    if not periods:
        raise ValueError(f"empty range: {first} is after {last}")
    return periods
