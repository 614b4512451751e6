"""Terminal output of the CLI: the progress table people read at the end of a run."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from flows.cli.strings import language, say
from tasks import locale as fmt
from tasks.locale import catalogue

# column headers: (vi, en). "Chỉ tiêu" is the glossary's word for a target; the
# measured quantity is the indicator ("Chỉ số"), so one word never means two things.
HEADERS = {
    "vi": ("Chỉ số", "Phạm vi", "Hiện tại", "Chỉ tiêu", "Hạn", "Dự báo", "Trạng thái"),
    "en": ("Indicator", "Scope", "Current", "Target", "Due", "Forecast", "State"),
}
STYLE = {"met": "green", "on_track": "green", "behind": "red", "overdue": "red"}


def _status(target: dict[str, Any]) -> str:
    """marts.target_progress's status (warehouse/seeds/progress.yaml), or from met/on track."""
    fallback = "met" if target["met"] else "on_track" if target["on_track"] else "behind"
    return target.get("status") or fallback


def _state(target: dict[str, Any], lang: str) -> str:
    key = _status(target)
    return f"[{STYLE.get(key, 'yellow')}]{catalogue.status(key, lang)}[/]"


def _forecast(target: dict[str, Any], lang: str) -> str:
    if target["met"] or _status(target) in ("no_data", "no_trend"):
        return "—"  # nothing left to forecast, or no trend to forecast from
    if target["forecast_date"] is None:
        return "không đạt với tốc độ hiện tại" if lang == "vi" else "not at the current pace"
    return fmt.day(target["forecast_date"], lang)


def progress_table(plan: dict[str, Any]) -> Table:
    """One plan's targets: indicator and scope, current, target, due date, forecast, state."""
    lang = language()
    title = f"{plan['name']} — {fmt.period(plan['period'], lang)}"
    table = Table(title=title, title_justify="left")
    for i, header in enumerate(HEADERS[lang]):
        table.add_column(header, justify="right" if i in (2, 3) else "left")
    for t in plan["targets"]:
        table.add_row(
            t["label_vi"] if lang == "vi" else t["label_en"],
            catalogue.scope(t["scope"], lang),
            fmt.pct(t["current"], lang=lang),
            fmt.pct(t["target"], lang=lang),
            fmt.day(t["due_date"], lang),
            _forecast(t, lang),
            _state(t, lang),
        )
    return table


def print_progress(console: Console, plans: list[dict[str, Any]]) -> None:
    if not plans:
        console.print(say("no_plans_run"))
        return
    for plan in plans:
        console.print(progress_table(plan))
        if line := _coverage_line(plan, language()):
            console.print(line)


def _coverage_line(plan: dict[str, Any], lang: str) -> str | None:
    """Điểm 766 with its coverage: the share of the decision's points measured."""
    scores = plan.get("score_766") or []
    if not scores:
        return None
    low = fmt.pct(min(s["coverage"] or 0 for s in scores), lang=lang)
    bands = ", ".join(sorted({s["band_vi"] for s in scores}))
    if lang == "vi":
        return f"Điểm 766: {len(scores)} đơn vị, đo được tối thiểu {low} số điểm ({bands})"
    return f"766 score: {len(scores)} units, at least {low} of the points measured ({bands})"
