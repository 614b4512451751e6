"""Value translation shared by the vendor dialects (portal value -> vendor value).

Every helper passes a value it does not recognise through unchanged: the
portal's deliberate bad rows must reach a dialect's client as bad as they are,
not be repaired or dropped on the way.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from simulator.periods import parse_stamp

# Portal stamps are Vietnam local time (ICT, UTC+7, no daylight saving).
VIETNAM = timezone(timedelta(hours=7))


def _moment(stamp: Any) -> datetime | None:
    if not isinstance(stamp, str):
        return None
    try:
        return parse_stamp(stamp).replace(tzinfo=VIETNAM)
    except ValueError:
        return None


def iso(stamp: Any) -> Any:
    """yyyyMMddHHmmss -> ISO 8601 with the +07:00 offset; null stays null."""
    moment = _moment(stamp)
    return moment.isoformat() if moment else stamp


def epoch_ms(stamp: Any) -> Any:
    """yyyyMMddHHmmss (local) -> milliseconds since the Unix epoch (UTC)."""
    moment = _moment(stamp)
    return int(moment.timestamp()) * 1000 if moment else stamp


def boolean(flag: Any) -> Any:
    """Portal 1/0 -> JSON true/false."""
    return {0: False, 1: True}[flag] if _is_flag(flag) else flag


def co_khong(flag: Any) -> Any:
    """Portal 1/0 -> "Có"/"Không", as Vietnamese forms answer yes/no."""
    return {0: "Không", 1: "Có"}[flag] if _is_flag(flag) else flag


def _is_flag(value: Any) -> bool:
    # bool is an int subclass; a portal flag is a plain int.
    return type(value) is int and value in (0, 1)
