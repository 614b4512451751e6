"""Words and number formats of the messages: Vietnamese by default, English by setting.

Vietnamese uses the domain glossary's terms, a decimal comma and dotted
thousands (72,5% · 12.345); English the usual 72.5% · 12,345. Dates are
dd/mm/yyyy in both, periods mm/yyyy.
"""

from __future__ import annotations

import re
from datetime import date

from tasks import locale as fmt
from tasks.notify.compose.slack_text import safe
from tasks.notify.compose.strings import STRINGS

LANGUAGES = ("vi", "en")


class Words:
    """The strings and formats of one language: `w("due")`, `w.pct(0.725)`."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}: use 'vi' or 'en' (PLAN06_LANGUAGE)")
        self.lang, self.i = lang, LANGUAGES.index(lang)

    def __call__(self, key: str, *args: object) -> str:
        text = STRINGS[key][self.i]
        return text.format(*args) if args else text

    # Numbers come from the one formatting layer (tasks/locale, Babel's locale data).
    def num(self, v: float, sign: bool = False) -> str:
        return fmt.number(v, 1, self.lang, sign=sign)

    def int(self, n: int) -> str:
        return fmt.number(n, 0, self.lang)

    def pct(self, rate: float | None, short: bool = False) -> str:
        return self("na") if rate is None else fmt.pct(rate, 1, self.lang, short=short)

    def pp(self, current: float | None, previous: float | None) -> str:
        """Change in percentage points, or n/a."""
        if current is None or previous is None:
            return self("na")
        return f"{self.num((current - previous) * 100, sign=True)} {self('pp')}"


def bar(rate: float | None, width: int = 10) -> str:
    """A progress bar of `width` cells: ▓ done, ░ to go."""
    filled = 0 if rate is None else max(0, min(width, int(rate * width + 1e-9)))
    return "▓" * filled + "░" * (width - filled)


def day(d: date) -> str:
    return fmt.day(d)


def month(period: str) -> str:
    """mm/yyyy; anything that is not a YYYY-MM period is shown escaped, as given."""
    if not re.fullmatch(r"\d{4}-\d{2}", period):
        return safe(period)
    year, mon = period.split("-")
    return f"{mon}/{year}"
