"""One formatting layer for every surface (terminal, HTML, Slack, artifacts,
XLSX), built on Babel's locale data: vi_VN writes 1.516 and 96,8%, en 1,516 and
96.8%. Dates are dd/mm/yyyy; months "tháng 11/2026"; ISO weeks "tuần 48/2026".
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"vi": "vi_VN", "en": "en_US"}
NA = {"vi": "không có số liệu", "en": "n/a"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "vi_VN")


def number(value: float | None, digits: int = 0, lang: str = "vi", sign: bool = False) -> str:
    """1.516 · 12,5 (vi); 1,516 · 12.5 (en); "—" for no value."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    value = round(value, digits) + 0.0  # + 0.0: no "-0,0"
    text = format_decimal(abs(value) if sign else value, pattern, locale=_locale(lang))
    return (("+" if value >= 0 else "-") + text) if sign else text


def pct(rate: float | None, digits: int = 1, lang: str = "vi", short: bool = False) -> str:
    """A rate 0..1 as a percentage: 96,8% (vi), 96.8% (en); short drops a ",0"."""
    if rate is None:
        return NA.get(lang, NA["vi"])
    value = round(rate * 100, digits)
    if short and value == int(value):
        digits = 0
    return number(value, digits, lang) + "%"


def pp(current: float | None, previous: float | None, lang: str = "vi") -> str:
    """Change in percentage points: +3,2 điểm % (vi), +3.2 pp (en)."""
    if current is None or previous is None:
        return NA.get(lang, NA["vi"])
    unit = "điểm %" if lang == "vi" else "pp"
    return f"{number((current - previous) * 100, 1, lang, sign=True)} {unit}"


def day(value: date | str | None, lang: str = "vi") -> str:
    """31/12/2026 in both languages (the form Vietnamese documents use)."""
    if value is None:
        return "—"
    value = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(value, "dd/MM/yyyy", locale=_locale(lang))


def when(value: datetime | None, lang: str = "vi") -> str:
    """31/12/2026 14:05 (local time of the run)."""
    return "—" if value is None else f"{day(value.date(), lang)} {value:%H:%M}"


def period(value: str, lang: str = "vi") -> str:
    """A month YYYY-MM as "tháng 11/2026" (vi) or "11/2026" (en); a week YYYY-Www as
    "tuần 48/2026" (vi) or "week 48, 2026" (en)."""
    year, _, rest = value.partition("-")
    if rest.startswith("W"):
        return f"tuần {int(rest[1:])}/{year}" if lang == "vi" else f"week {int(rest[1:])}, {year}"
    return f"tháng {rest}/{year}" if lang == "vi" else f"{rest}/{year}"
