"""The pull-time bound is the sources' local clock, as their stamps are."""

from __future__ import annotations

from datetime import UTC, datetime

from tasks.validate.clock import pulled_at, with_pull_time


def test_pull_time_is_vietnamese_local_time() -> None:
    # 20:00 UTC is 03:00 the next day in Hà Nội (UTC+7): a stamp of 01:00 that
    # night is not in the future
    assert pulled_at(datetime(2026, 12, 1, 20, 0, tzinfo=UTC)) == "2026-12-02 03:00:00"


def test_a_caller_given_pull_time_is_kept() -> None:
    given = "2026-11-01 00:00:00"
    assert with_pull_time({"pulled_at": given})["pulled_at"] == given
    assert with_pull_time({})["pulled_at"] <= pulled_at()
