"""Reporting periods (`YYYY-MM`) and the date arithmetic dossiers need."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
STAMP_FORMAT = "%Y%m%d%H%M%S"  # the portal's yyyyMMddHHmmss


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, the unit a plan reports on."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse `YYYY-MM`; raise ValueError with a readable message otherwise."""
        match = _PERIOD_RE.match(text)
        if match is None:
            raise ValueError(f"period must look like YYYY-MM, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def days(self) -> list[date]:
        count = monthrange(self.year, self.month)[1]
        return [date(self.year, self.month, d) for d in range(1, count + 1)]

    def months_since(self, start: Period) -> int:
        """Whole months from `start` to this period; 0 if this one is earlier."""
        return max(0, (self.year - start.year) * 12 + self.month - start.month)


def add_working_days(start: datetime, days: int) -> datetime:
    """Add working days (Monday-Friday), as Vietnamese due dates are counted."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def stamp(moment: datetime) -> str:
    """Format a datetime as the portal's `yyyyMMddHHmmss` string."""
    return moment.strftime(STAMP_FORMAT)


def parse_stamp(text: str) -> datetime:
    """Inverse of `stamp`."""
    return datetime.strptime(text, STAMP_FORMAT)
