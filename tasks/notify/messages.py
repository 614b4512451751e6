"""Pure builders: a PlanDigest becomes one Slack Block Kit message (no I/O).

Vietnamese by default (the domain glossary's terms), English on request.
Only counts, rates, ids and links go out: free text is escaped and scrubbed of
long digit runs so a stray CCCD (12 digits) or CMND (9 digits) cannot leak.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from tasks.notify.models import KpiProgress, PlanDigest

MAX_BLOCKS, MAX_SECTION, MAX_HEADER, MAX_TEXT = 50, 3000, 150, 3000
_L = {"vi": 0, "en": 1}
_T: dict[str, tuple[str, str]] = {
    "plan": ("Kế hoạch phối hợp", "Coordination plan"),
    "period": ("kỳ", "period"),
    "data": ("Dữ liệu kỳ này", "Data this period"),
    "rows": (
        "{} bản ghi nhận · {} đã công bố · {} bản ghi bị loại",
        "{} rows in · {} published · {} rejected rows",
    ),
    "reasons": ("lý do", "reasons"),
    "published": ("đã công bố", "published"),
    "rejected": ("bị từ chối, không công bố", "rejected, nothing published"),
    "failed": ("lỗi khi xử lý", "failed"),
    "missing": ("chưa nhận được dữ liệu đúng hạn", "data not received on time"),
    "targets": ("Chỉ tiêu", "Targets"),
    "met": ("đã đạt", "met"),
    "on_track": ("đúng tiến độ", "on track"),
    "behind": ("chậm tiến độ", "behind"),
    "na": ("chưa có dữ liệu", "n/a"),
    "pp": ("điểm %", "pp"),
    "vs_prev": ("so với kỳ trước", "vs previous period"),
    "due": ("hạn hoàn thành", "due"),
    "forecast": ("dự báo đạt", "forecast"),
    "never": ("không đạt theo xu hướng hiện tại", "not reached on current trend"),
    "more": ("… và {} chỉ tiêu khác", "… and {} more targets"),
    "action": ("Cần xử lý", "Action needed"),
    "behind_n": ("{} chỉ tiêu chậm tiến độ", "{} target(s) behind"),
    "run": ("Chi tiết lượt chạy", "Flow run details"),
}
_SCOPES = {
    "cu_tru": ("cư trú", "residence"),
    "dat_dai": ("đất đai", "land"),
    "ho_tich": ("hộ tịch", "civil status"),
    "ly_lich_tu_phap": ("lý lịch tư pháp", "judicial record"),
}
_ICON = {"met": ":white_check_mark:", "on_track": ":large_blue_circle:", "behind": ":warning:"}
_ORDER = {"behind": 0, "on_track": 1, "met": 2}
_BATCH = ("published", "rejected", "failed", "missing")


class SlackMessage(BaseModel):
    """What chat.postMessage / chat.update receive: fallback text and blocks."""

    model_config = ConfigDict(frozen=True)

    text: str
    blocks: list[dict[str, Any]]


def build_plan_message(digest: PlanDigest, lang: str = "vi") -> SlackMessage:
    """Build the plan-status message of one (plan, period), within Slack's limits."""
    if lang not in _L:
        raise ValueError(f"unsupported language {lang!r}: use 'vi' or 'en'")
    i = _L[lang]
    kpis = sorted(digest.kpis, key=lambda k: _ORDER[_state(k)])
    when = f"{_T['period'][i]} {_period(digest.period)}"
    # The header block is plain text (no escaping); the fallback text is mrkdwn.
    header = _clip(f"{_title(digest, i, esc=False)} — {when}", MAX_HEADER)
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": header}},
        _section(f"*{_T['targets'][i]}:* {_tally(kpis, i)}"),
        _section(_datasets(digest, i)),
        {"type": "divider"},
    ]
    action = _action(digest, kpis, i)
    tail = ([_section(action)] if action else []) + _context(digest, i)
    room = MAX_BLOCKS - len(blocks) - len(tail)
    shown = kpis if len(kpis) <= room else kpis[: room - 1]
    blocks += [_section(_kpi(k, i)) for k in shown]
    if len(shown) < len(kpis):
        blocks.append(_section(_folded(kpis[len(shown) :], i)))
    text = _clip(
        f"{_title(digest, i)} — {when}\n{_T['targets'][i]}: {_tally(kpis, i)}"
        + (f"\n{action}" if action else ""),
        MAX_TEXT,
    )
    return SlackMessage(text=_nfc(text), blocks=_nfc(blocks + tail))


def content_hash(message: SlackMessage) -> str:
    """sha256 of the canonical JSON of a message: equal content, equal hash."""
    doc = json.dumps(
        message.model_dump(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()


def _title(d: PlanDigest, i: int, esc: bool = True) -> str:
    clean = _safe if esc else _scrub
    name, partner, prefix = clean(d.plan_name), clean(d.partner_name), _T["plan"][i]
    # Plan names often already start with "Kế hoạch phối hợp": do not say it twice.
    lead = "" if name.casefold().startswith(prefix.casefold()) else f"{prefix} "
    return f"{lead}{name} ({partner})"


def _datasets(d: PlanDigest, i: int) -> str:
    lines = [f"*{_T['data'][i]}*"]
    for ds in d.datasets:
        rows = _T["rows"][i].format(
            *(_int(n, i) for n in (ds.rows_in, ds.rows_published, ds.rows_quarantined))
        )
        status = _T[ds.status][i] if ds.status in _BATCH else _safe(ds.status)
        why = "; ".join(f"{_safe(r)} ({_int(n, i)})" for r, n in ds.top_reasons[:3])
        if ds.status == "missing":  # nothing arrived: counts would only be noise
            rows = ""
        lines.append(
            f"• `{_safe(ds.dataset)}` *{status}*"
            + (f": {rows}" if rows else "")
            + (f" — {_T['reasons'][i]}: {why}" if why else "")
        )
    return _clip("\n".join(lines), MAX_SECTION)


def _kpi(k: KpiProgress, i: int) -> str:
    st = _state(k)
    delta = (
        _T["na"][i]
        if k.current is None or k.previous is None
        else f"{_num((k.current - k.previous) * 100, i, sign=True)} {_T['pp'][i]}"
    )
    fc = _forecast(k, i)
    return _clip(
        f"*{_label(k, i)}*\n`{_bar(k.current)}` {_pct(k.current, i)} / "
        f"{_pct(k.target, i, short=True)} · {_T['vs_prev'][i]}: {delta}\n"
        f"{_ICON[st]} {_T[st][i]} · {_T['due'][i]} {_date(k.due_date)}"
        + (f" · {fc}" if fc else ""),
        MAX_SECTION,
    )


def _forecast(k: KpiProgress, i: int) -> str:
    if k.forecast_date:
        return f"{_T['forecast'][i]} {_date(k.forecast_date)}"
    return "" if k.met else _T["never"][i]  # no date means the trend never gets there


def _folded(rest: list[KpiProgress], i: int) -> str:
    lines = [
        f"{_ICON[_state(k)]} {_label(k, i)}: {_pct(k.current, i)} / "
        f"{_pct(k.target, i, short=True)} ({_T[_state(k)][i]})"
        for k in rest
    ]
    body = "\n".join(lines)
    if len(body) <= MAX_SECTION:
        return body
    kept = _clip(body, MAX_SECTION - 60).rsplit("\n", 1)[0]  # drop the cut line
    hidden = len(rest) - kept.count("\n") - 1
    return f"{kept}\n{_T['more'][i].format(hidden)}"


def _action(d: PlanDigest, kpis: list[KpiProgress], i: int) -> str:
    behind = [k for k in kpis if _state(k) == "behind"]
    groups = {g.id: g for g in d.task_groups}
    lines = []
    for gid in dict.fromkeys(k.task_group_id for k in behind):
        g, ks = groups.get(gid), [k for k in behind if k.task_group_id == gid]
        who = (
            f"<!subteam^{g.slack_usergroup_id}>"
            if g and g.slack_usergroup_id
            else f"*{_safe(g.name if g else gid)}*"
        )
        what = "; ".join(
            f"{_label(k, i)} {_pct(k.current, i)} / {_pct(k.target, i, short=True)}" for k in ks
        )
        lines.append(f"{who} {_T['behind_n'][i].format(len(ks))}: {what}")
    return (
        _clip(f":warning: *{_T['action'][i]}*\n" + "\n".join(lines), MAX_SECTION) if lines else ""
    )


def _context(d: PlanDigest, i: int) -> list[dict[str, Any]]:
    if not d.flow_run_url:
        return []
    link = f"<{d.flow_run_url}|{_T['run'][i]}>"
    return [{"type": "context", "elements": [{"type": "mrkdwn", "text": link}]}]


def _state(k: KpiProgress) -> str:
    return "met" if k.met else "on_track" if k.on_track else "behind"


def _tally(kpis: list[KpiProgress], i: int) -> str:
    n = {s: sum(_state(k) == s for k in kpis) for s in _ORDER}
    return " · ".join(f"{n[s]} {_T[s][i]}" for s in ("met", "on_track", "behind"))


def _label(k: KpiProgress, i: int) -> str:
    label = _safe(k.label_en if i else k.label_vi)
    scope = _SCOPES.get(k.scope, (k.scope, k.scope))[i] if k.scope != "all" else ""
    return f"{label} ({_safe(scope)})" if scope else label


def _bar(rate: float | None, width: int = 10) -> str:
    filled = 0 if rate is None else max(0, min(width, int(rate * width + 1e-9)))
    return "▓" * filled + "░" * (width - filled)


def _pct(rate: float | None, i: int, short: bool = False) -> str:
    if rate is None:
        return _T["na"][i]
    v = round(rate * 100, 1)
    return f"{int(v)}%" if short and v == int(v) else f"{_num(v, i)}%"


def _num(v: float, i: int, sign: bool = False) -> str:
    v = round(v, 1) + 0.0  # + 0.0 turns -0.0 into 0.0, so no "-0,0"
    s = f"{v:+.1f}" if sign else f"{v:.1f}"
    return s if i else s.replace(".", ",")


def _int(n: int, i: int) -> str:
    # Grouped thousands: Vietnamese 1.234.567, English 1,234,567.
    return f"{n:,}" if i else f"{n:,}".replace(",", ".")


def _date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _period(period: str) -> str:
    year, month = period.split("-")
    return f"{month}/{year}"


def _scrub(s: str) -> str:
    # Never forward what could be a CCCD (12 digits) or CMND (9 digits).
    return re.sub(r"\d{9,}", "…", unicodedata.normalize("NFC", s))


def _safe(s: str) -> str:
    """Scrubbed and escaped for mrkdwn, where &, < and > are control characters."""
    return _scrub(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(s: str, limit: int) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _nfc(obj: Any) -> Any:
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj)
    if isinstance(obj, list):
        return [_nfc(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _nfc(v) for k, v in obj.items()}
    return obj
