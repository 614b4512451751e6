"""Scan what every fake Slack received, test by test, for personal data.

Each FakeSlack appends every content payload to FakeSlack.payloads. The guard
remembers how far it has scanned, so each check covers everything received
since the last one (module and session fixtures' posts too), in any test order.
"""

from __future__ import annotations

from tests.fakes.slack import FakeSlack
from tests.fakes.slack_checks import personal_data


class PayloadGuard:
    scanned = 0

    @classmethod
    def new_leaks(cls) -> list[str]:
        """Citizen IDs and owners' names in the payloads received since the last check."""
        new = FakeSlack.payloads[cls.scanned :]
        cls.scanned += len(new)
        return [found for payload in new for found in personal_data(payload)]


def masked(found: list[str]) -> str:
    """A leak reported without repeating it in the test log."""
    return ", ".join(f"{f[:2]}…({len(f)} chars)" for f in found[:5])
