"""The markdown progress report of a plan run (a Prefect artifact): pure text builders.

Counts, rates, reasons and links only: the reasons are the suite's own
sentences (meta.reason_vi / reason_en), never a row's values.
"""

from __future__ import annotations

from typing import Any

from tasks import locale as fmt
from tasks.locale import catalogue


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


ICONS = {"met": "✅", "on_track": "🟢", "behind": "🔴", "overdue": "⛔", "no_data": "⚪",
         "no_trend": "⏳"}  # fmt: skip


def _key(t: dict[str, Any]) -> str:
    return catalogue.target_status(t["met"], t["on_track"], t.get("status"))


def _state(target: dict[str, Any]) -> str:
    return f"{ICONS[_key(target)]} {catalogue.status(_key(target))}"


def _forecast(t: dict[str, Any]) -> str:
    if _key(t) in ("met", "no_data", "no_trend"):
        return "—"
    if t["forecast_date"] is None:
        return "không đạt với tốc độ hiện tại"
    return fmt.day(t["forecast_date"])


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def kpi_rows(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The KPI table artifact: one row per target, plain values."""
    return [
        {
            "target": t["target_id"],
            "kpi": t["label_vi"],
            "scope": catalogue.scope(t["scope"]),
            "current": fmt.pct(t["current_value"]),
            "previous": fmt.pct(t["previous_value"]),
            "target_value": fmt.pct(t["target_value"], 0),
            "due": fmt.day(t["due_date"]),
            "forecast": _forecast(t),
            "state": _state(t),
        }
        for t in targets
    ]


def _targets_section(targets: list[dict[str, Any]]) -> str:
    header = ["Chỉ số", "Phạm vi", "Hiện tại", "Kỳ trước", "Chỉ tiêu", "Hạn", "Dự báo đạt"]
    columns = ["kpi", "scope", "current", "previous", "target_value", "due", "forecast", "state"]
    rows = [[r[c] for c in columns] for r in kpi_rows(targets)]
    return "## Tiến độ so với chỉ tiêu\n\n" + table([*header, "Trạng thái"], rows)


def _batches_section(batches: list[dict[str, Any]], docs_url: dict[str, str]) -> str:
    rows = [
        [
            catalogue.dataset(b["dataset"]),
            catalogue.status(b["status"]),
            fmt.number(b["rows_in"]),
            fmt.number(b["rows_published"]),
            fmt.number(b["rows_quarantined"]),
            "; ".join(b["rejection_reasons"]) or "—",
            f"[Kết quả kiểm tra]({docs_url[b['batch_id']]})" if b["batch_id"] in docs_url else "—",
        ]
        for b in batches
    ]
    header = ["Bộ dữ liệu", "Trạng thái", "Nhận", "Công bố", "Bị loại", "Lý do từ chối", "Kiểm tra"]
    return "## Dữ liệu của kỳ\n\n" + table(header, rows)


def _quarantine_section(reasons: list[dict[str, Any]]) -> str:
    if not reasons:
        return "## Bản ghi bị loại\n\nKhông có."
    rows = [
        [
            catalogue.dataset(r["dataset"]),
            catalogue.severity(r["severity"]),
            r["reason"],
            fmt.number(r["rows_affected"]),
        ]
        for r in reasons
    ]
    header = ["Bộ dữ liệu", "Mức", "Lý do", "Số bản ghi"]
    return "## Bản ghi bị loại và lý do\n\n" + table(header, rows)


def progress_report(
    title: str,
    targets: list[dict[str, Any]],
    batches: list[dict[str, Any]],
    reasons: list[dict[str, Any]],
    links: dict[str, str],
    docs_url: dict[str, str],
) -> str:
    """The whole report: KPIs, batches with their Data Docs, quarantine reasons, links."""
    link_lines = "\n".join(f"- [{label}]({url})" for label, url in links.items())
    return "\n\n".join(
        [
            f"# {title}",
            _targets_section(targets),
            _batches_section(batches, docs_url),
            _quarantine_section(reasons),
            "## Liên kết\n\n" + link_lines,
        ]
    )
