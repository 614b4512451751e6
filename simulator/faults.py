"""Faults a provincial API produces, injected on request (simulator start options).

Recoverable modes fire once per (province, dataset, period, mode), at most two
in a row on one page, so a client that retries and checks integrity always
ends with exactly the fault-free rows: that is what `plan06 run
--simulator-faults all` proves. Permanent modes fire on every request: the
client must fail at once with a message, never loop.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

RECOVERABLE = (
    "duplicate_page",  # the previous page's rows again, labelled as this page
    "skip_page",  # the next page's rows, labelled as this page (after duplicate_page)
    "rate_limit",  # 429 with Retry-After
    "server_error",  # 503
    "bad_gateway",  # 502 with an HTML body, as proxies answer
    "slow",  # answers after slow_s seconds
    "reset",  # the connection drops mid-body
    "truncated_json",  # a 200 whose JSON body is cut off
)
PERMANENT = (
    "unauthorized",  # 401 for every request
    "schema_mismatch",  # a body without the 'data' list
    "wrong_total",  # a reported total that never matches the rows
)
MODES = RECOVERABLE + PERMANENT


def parse_modes(text: str | None) -> tuple[str, ...]:
    """'all' = every recoverable mode; else a comma list of MODES; '' or None = none."""
    if not text or text == "none":
        return ()
    if text == "all":
        return RECOVERABLE
    modes = tuple(m.strip() for m in text.split(",") if m.strip())
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise ValueError(
            f"unknown fault mode(s) {', '.join(unknown)}; known: all, {', '.join(MODES)}"
        )
    return modes


@dataclass
class FaultPlan:
    """Which faults are on, their parameters, and what has fired (thread-safe)."""

    modes: tuple[str, ...] = ()
    retry_after_s: int = 1
    slow_s: float = 1.0
    fired: Counter[str] = field(default_factory=Counter)
    _done: set[tuple[str, ...]] = field(default_factory=set, repr=False)
    _streak: Counter[tuple[str, ...]] = field(default_factory=Counter, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def choose(self, slice_key: tuple[str, ...], start: int, size: int, total: int) -> str | None:
        """The fault to inject for the request of rows [start, start + size), if any."""
        with self._lock:
            page_key = (*slice_key, str(start))
            for mode in sorted(self.modes, key=MODES.index):
                if mode in PERMANENT:
                    self.fired[mode] += 1
                    return mode
                if (mode, *slice_key) in self._done or self._streak[page_key] >= 2:
                    continue
                if mode == "duplicate_page" and start == 0:
                    continue
                if mode == "skip_page" and not self._may_skip(slice_key, start, size, total):
                    continue
                self._done.add((mode, *slice_key))
                self._streak[page_key] += 1
                self.fired[mode] += 1
                return mode
            self._streak[page_key] = 0
            return None

    def _may_skip(self, slice_key: tuple[str, ...], start: int, size: int, total: int) -> bool:
        # A skip right after a duplicate would swap two pages unnoticed (equal
        # count, no page repeated), so it waits until duplicate_page has fired.
        after_duplicate = (
            "duplicate_page" not in self.modes or ("duplicate_page", *slice_key) in self._done
        )
        return start + size < total and after_duplicate
