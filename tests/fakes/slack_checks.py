"""What the fake Slack checks in every payload: Slack's limits and no personal data."""

from __future__ import annotations

import re
from typing import Any

from simulator.catalog import load_catalog

MAX_BLOCKS, MAX_TEXT_BLOCK, MAX_HEADER, MAX_TEXT = 50, 3000, 150, 40_000
# A CCCD has 12 digits, an old CMND 9: no run of 9 or more digits may reach Slack
# (ts values like 1700000001.000001 are split by the dot, links are skipped).
ID_LIKE = re.compile(r"(?<!\d)\d{9,}(?!\d)")
LINK = re.compile(r"https?://[^\s|>\"]+")


def blocks_ok(blocks: list[dict[str, Any]]) -> bool:
    """50 blocks at most, 3,000 characters per text block, 150 per header."""
    if len(blocks) > MAX_BLOCKS:
        return False
    for b in blocks:
        limit = MAX_HEADER if b.get("type") == "header" else MAX_TEXT_BLOCK
        texts = [(b.get("text") or {}).get("text") or ""]
        texts += [e.get("text") or "" for e in b.get("elements", []) if isinstance(e, dict)]
        if any(len(t) > limit for t in texts):
            return False
    return True


def personal_data(payload: str) -> list[str]:
    """What in a payload looks like a citizen ID or a dossier owner's full name."""
    return ID_LIKE.findall(LINK.sub("", payload)) + NAMES.findall(payload)


def _names_pattern() -> re.Pattern[str]:
    """Every full name the simulator gives dossier owners (family, middle, given)."""
    n = load_catalog().names
    full = {
        f"{f} {m} {g}"
        for f in n.family
        for middles, givens in ((n.middle_male, n.given_male), (n.middle_female, n.given_female))
        for m in middles
        for g in givens
    }
    return re.compile("|".join(re.escape(x) for x in sorted(full, key=len, reverse=True)))


NAMES = _names_pattern()
