"""Terminal output of the CLI: the progress table people read at the end of a run."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


_COLOURS = {"met": "green", "on_track": "green", "behind": "red", "overdue": "red"}


def _state(target: dict[str, Any]) -> str:
    """The status label of marts.target_progress (warehouse/seeds/progress.yaml)."""
    status = target.get("status") or "no_data"
    label = target.get("status_vi") or status
    return f"[{_COLOURS.get(status, 'yellow')}]{label} ({status})[/]"


def _coverage_line(plan: dict[str, Any]) -> str | None:
    """Điểm 766 with its coverage: the measured share of the decision's points."""
    scores = plan.get("score_766") or []
    if not scores:
        return None
    low = min(s["coverage"] or 0 for s in scores)
    bands = sorted({s["band_vi"] for s in scores})
    return f"Điểm 766: {len(scores)} đơn vị, đo được {low * 100:.0f}% số điểm ({', '.join(bands)})"


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
        console.print("No plan has been run yet: try `plan06 run`.")
        return
    for plan in plans:
        console.print(progress_table(plan))
        if line := _coverage_line(plan):
            console.print(line)
