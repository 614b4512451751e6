"""Terminal output of the CLI: the progress table people read at the end of a run."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from flows.cli.strings import say


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _state(target: dict[str, Any]) -> str:
    if target["met"]:
        return "[green]đã đạt (met)[/]"
    if target["on_track"]:
        return "[green]đúng tiến độ (on track)[/]"
    return "[red]chậm tiến độ (behind)[/]"


def progress_table(plan: dict[str, Any]) -> Table:
    """One plan's targets: KPI and scope, current, target, due date, forecast, state."""
    table = Table(title=f"{plan['name']} — kỳ {plan['period']}", title_justify="left")
    table.add_column("Chỉ tiêu (KPI)")
    table.add_column("Phạm vi")
    table.add_column("Hiện tại", justify="right")
    table.add_column("Chỉ tiêu", justify="right")
    table.add_column("Hạn")
    table.add_column("Dự báo đạt")
    table.add_column("Trạng thái")
    for t in plan["targets"]:
        table.add_row(
            t["label_vi"],
            t["scope"],
            _pct(t["current"]),
            _pct(t["target"]),
            t["due_date"],
            t["forecast_date"] or "—",
            _state(t),
        )
    return table


def print_progress(console: Console, plans: list[dict[str, Any]]) -> None:
    if not plans:
        console.print(say("no_plans_run"))
        return
    for plan in plans:
        console.print(progress_table(plan))
