"""Reporting periods written YYYY-MM: parsing, shifting, ranges."""

from __future__ import annotations

from datetime import date

import pytest

from flows.periods import last_periods, parse_period, period_range, shift


def test_a_period_parses_to_year_and_month() -> None:
    assert parse_period("2026-10") == (2026, 10)
    assert parse_period("2025-01") == (2025, 1)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026-1", "26-10", "2026/10", "10-2026", "2026-10-01", ""]
)
def test_a_bad_period_says_which_format_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match="must be a month written YYYY-MM") as caught:
        parse_period(text)
    assert repr(text) in str(caught.value)


def test_a_period_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_period("2026-10\n")


@pytest.mark.parametrize(
    ("period", "months", "expected"),
    [
        ("2026-10", 0, "2026-10"),
        ("2026-11", 2, "2027-01"),
        ("2026-01", -1, "2025-12"),
        ("2026-10", -24, "2024-10"),
        ("2025-12", 13, "2027-01"),
    ],
)
def test_shift_crosses_years(period: str, months: int, expected: str) -> None:
    assert shift(period, months) == expected


def test_last_periods_are_the_complete_months_before_today_oldest_first() -> None:
    assert last_periods(3, today=date(2026, 1, 15)) == ["2025-10", "2025-11", "2025-12"]
    assert last_periods(1, today=date(2026, 3, 1)) == ["2026-02"]
    assert last_periods(0, today=date(2026, 3, 1)) == []


def test_period_range_is_inclusive_and_crosses_years() -> None:
    assert period_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert period_range("2026-10", "2026-10") == ["2026-10"]


def test_a_reversed_range_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty range: 2026-10 is after 2026-09"):
        period_range("2026-10", "2026-09")


def test_a_range_with_a_bad_end_says_which_format_is_expected() -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        period_range("2026-01", "2026-1")
