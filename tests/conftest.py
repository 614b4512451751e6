"""Session-wide fixtures: the personal-data guard on every fake Slack, one Prefect API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.pii_guard import PayloadGuard, masked


@pytest.fixture(autouse=True)
def no_personal_data_reaches_slack() -> Iterator[None]:
    """Fail the test during which a fake Slack received a citizen ID or a full name."""
    yield
    if leaks := PayloadGuard.new_leaks():
        pytest.fail(f"personal data reached a fake Slack: {masked(leaks)}", pytrace=False)


def pytest_sessionfinish(session: pytest.Session) -> None:
    # posts made while module or session fixtures were torn down, after the last test
    if leaks := PayloadGuard.new_leaks():
        print(f"\npersonal data reached a fake Slack at teardown: {masked(leaks)}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """One ephemeral Prefect API for every test that runs flows (it takes ~12 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
