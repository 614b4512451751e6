"""The pull time a suite compares dates with (`$PARAMETER: pulled_at`).

Source stamps are the portal's local time, naive (Asia/Ho_Chi_Minh), so the
bound is the same clock, naive, as text DuckDB compares with a TIMESTAMP.
Validation runs right after the pull, so "now" is a bound no honest date
passes: a finish, result or receipt later than it has not happened yet.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

SOURCE_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def pulled_at(now: datetime | None = None) -> str:
    """`now` (default: the current time) in the sources' local time, ISO text."""
    moment = (now or datetime.now(SOURCE_ZONE)).astimezone(SOURCE_ZONE)
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")


def with_pull_time(parameters: dict) -> dict:
    """The suite parameters, with `pulled_at` unless the caller gave one."""
    return {"pulled_at": pulled_at(), **parameters}
