"""The markdown progress report of a plan run (a Prefect artifact): pure text builders.

Counts, rates, reasons and links only: the reasons are the suite's own
sentences (meta.reason_vi / reason_en), never a row's values.
"""

from __future__ import annotations

from typing import Any


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _state(target: dict[str, Any]) -> str:
    if target["met"]:
        return "✅ đã đạt (met)"
    return "🟢 đúng tiến độ (on track)" if target["on_track"] else "🔴 chậm tiến độ (behind)"


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
            "scope": t["scope"],
            "current": _pct(t["current_value"]),
            "previous": _pct(t["previous_value"]),
            "target_value": _pct(t["target_value"]),
            "due": t["due_date"].isoformat(),
            "forecast": t["forecast_date"].isoformat() if t["forecast_date"] else "—",
            "state": _state(t),
        }
        for t in targets
    ]


def _targets_section(targets: list[dict[str, Any]]) -> str:
    header = ["Chỉ tiêu (KPI)", "Phạm vi", "Hiện tại", "Kỳ trước", "Chỉ tiêu", "Hạn", "Dự báo đạt"]
    columns = ["kpi", "scope", "current", "previous", "target_value", "due", "forecast", "state"]
    rows = [[r[c] for c in columns] for r in kpi_rows(targets)]
    return "## Tiến độ so với chỉ tiêu (KPIs vs targets)\n\n" + table([*header, "Trạng thái"], rows)


def _batches_section(batches: list[dict[str, Any]], docs_url: dict[str, str]) -> str:
    rows = [
        [
            b["dataset"],
            b["status"],
            b["rows_in"],
            b["rows_published"],
            b["rows_quarantined"],
            "; ".join(b["rejection_reasons"]) or "—",
            f"[Data Docs]({docs_url[b['batch_id']]})" if b["batch_id"] in docs_url else "—",
        ]
        for b in batches
    ]
    header = ["Bộ dữ liệu", "Trạng thái", "Nhận", "Công bố", "Bị loại", "Lý do từ chối", "GX"]
    return "## Dữ liệu của kỳ (batches)\n\n" + table(header, rows)


def _quarantine_section(reasons: list[dict[str, Any]]) -> str:
    if not reasons:
        return "## Bản ghi bị loại (quarantined)\n\nKhông có (none)."
    rows = [[r["dataset"], r["severity"], r["reason"], r["rows_affected"]] for r in reasons]
    header = ["Bộ dữ liệu", "Mức", "Lý do (reason)", "Số bản ghi"]
    return "## Bản ghi bị loại và lý do (quarantined, and why)\n\n" + table(header, rows)


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
            "## Liên kết (links)\n\n" + link_lines,
        ]
    )
