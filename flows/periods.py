"""Monthly reporting periods, written YYYY-MM, and `Period`, their parameter type.

Every flow that takes a period declares it `Period`: Prefect validates the
parameters when a run is called (the message below) and the Prefect server
checks the pattern of the deployment's parameter schema when a run is created,
so "<!channel>" or "2025-13" never reaches a partner API or the outbox.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
FIRST_YEAR, LAST_YEAR = 2000, 2099  # Đề án 06 began in 2022; a typo such as 0226 is refused
PERIOD_PATTERN = r"^20\d{2}-(0[1-9]|1[0-2])$"  # the same rule, for the server's JSON schema


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


def checked_period(text: str) -> str:
    """The period itself when it is a month of FIRST_YEAR..LAST_YEAR, else ValueError."""
    year, _ = parse_period(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"period {text!r} is outside {FIRST_YEAR}..{LAST_YEAR}: check the year")
    return text


Period = Annotated[
    str,
    AfterValidator(checked_period),
    WithJsonSchema({"type": "string", "pattern": PERIOD_PATTERN, "examples": ["2026-10"]}),
]
