"""The gateway's HTML page, in Vietnamese: a form to rerun one coordination plan
for one month, and the last runs the gateway created. Server-rendered, no
script; every text from a plan file, a parameter or Prefect is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from zoneinfo import ZoneInfo

from flows.gateway.prefect_api import BACKFILL, RERUN, RunView
from tasks import locale as fmt
from tasks.plans import PlanSpec

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
KIND = {RERUN: "Chạy lại", BACKFILL: "Chạy bổ sung các tháng trước"}
STATE = {
    "Scheduled": "Đã lên lịch", "Late": "Trễ lịch", "Pending": "Đang chờ",
    "Running": "Đang chạy", "Completed": "Hoàn thành", "Failed": "Thất bại",
    "Crashed": "Dừng đột ngột", "Cancelled": "Đã hủy", "Cancelling": "Đang hủy",
}  # fmt: skip
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "label{display:block;margin:.8rem 0 .2rem}table{border-collapse:collapse;margin-top:1rem}"
    "td,th{border-bottom:1px solid #ccc;padding:.3rem .6rem;text-align:left}"
    ".ok{color:#064}.refused{color:#a00}"
)


def render(
    lead: str,
    plans: Iterable[PlanSpec],
    runs: Iterable[RunView],
    notice: str = "",
    refused: bool = False,
    chosen: tuple[str, str] = ("", ""),
) -> str:
    """The whole page; `notice` is the outcome of a submitted form, `chosen` its values."""
    css = "refused" if refused else "ok"
    message = f'<p class="{css}" role="status">{escape(notice)}</p>' if notice else ""
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        "<title>Chạy lại kế hoạch phối hợp — Tổ công tác Đề án 06</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>Chạy lại một kế hoạch phối hợp</h1>"
        f"<p>Xin chào {escape(lead)}. Chọn kế hoạch phối hợp và kỳ báo cáo: dữ liệu của tháng"
        " đó được lấy lại, kiểm tra và công bố lại tiến độ các chỉ tiêu.</p>"
        f"{message}{_form(plans, chosen)}{_runs(runs)}</body></html>"
    )


def _form(plans: Iterable[PlanSpec], chosen: tuple[str, str]) -> str:
    plan_id, period = chosen
    options = "".join(
        f'<option value="{escape(p.id)}"{" selected" if p.id == plan_id else ""}>'
        f"{escape(p.name)}</option>"
        for p in sorted(plans, key=lambda p: p.name)
    )
    return (
        '<form method="post" action="/">'
        '<label for="plan_id">Kế hoạch phối hợp</label>'
        f'<select id="plan_id" name="plan_id" required>{options}</select>'
        '<label for="period">Kỳ báo cáo (tháng, YYYY-MM)</label>'
        f'<input id="period" name="period" required placeholder="2026-10" value="{escape(period)}"'
        ' pattern="20[0-9]{2}-(0[1-9]|1[0-2])" size="8">'
        ' <button type="submit">Chạy lại</button></form>'
    )


def _runs(runs: Iterable[RunView]) -> str:
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{escape(cell)}</td>" for cell in _cells(run))
        + f"<td><code>{escape(str(run.id))}</code></td></tr>"
        for run in runs
    )
    if not rows:
        return "<h2>Các lượt chạy gần đây</h2><p>Chưa có lượt chạy nào.</p>"
    head = "".join(
        f"<th>{h}</th>"
        for h in ("Thời điểm", "Người yêu cầu", "Loại", "Kế hoạch", "Kỳ", "Trạng thái", "Mã")
    )
    return f"<h2>Các lượt chạy gần đây</h2><table><tr>{head}</tr>{rows}</table>"


def _cells(run: RunView) -> list[str]:
    when = run.expected_start_time or run.start_time
    p = run.parameters
    months = [p[k] for k in ("period", "first", "last") if isinstance(p.get(k), str)]
    period = " – ".join(dict.fromkeys(fmt.period(m) for m in months))  # the project's forms
    return [
        fmt.when(when.astimezone(ZONE)) if when else "",
        run.lead,
        KIND.get(run.deployment, run.deployment),
        str(p.get("plan_id", "")),
        period,
        STATE.get(run.state, run.state),
    ]
