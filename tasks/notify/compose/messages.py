"""The plan thread's root message: one per (plan, period), updated in place (pure, no I/O).

A table per dataset, each target's KPI with its change and a progress bar, due
dates, and the task group mentioned only when a target is behind or data is late.
"""

from __future__ import annotations

from typing import Any

from tasks.locale import catalogue
from tasks.notify.compose.i18n import Words, bar, day, month
from tasks.notify.compose.labels import ICON, dataset_name, label, state_of, title
from tasks.notify.compose.slack_text import (
    MAX_BLOCKS,
    MAX_SECTION,
    SlackMessage,
    clip,
    content_hash,
    context,
    header,
    link,
    mention,
    message,
    safe,
    section,
    table,
)
from tasks.notify.facts.models import DatasetStatus, KpiProgress, PlanDigest

__all__ = [
    "ICON",
    "SlackMessage",
    "build_plan_message",
    "content_hash",
    "label",
    "state_of",
    "title",
]

_ORDER = {"overdue": 0, "behind": 1, "no_data": 2, "no_trend": 3, "on_track": 4, "met": 5}
_LATE = {"missing", "rejected", "failed", "late"}


def build_plan_message(digest: PlanDigest, lang: str = "vi") -> SlackMessage:
    """Build the root message of one (plan, period), within Slack's limits."""
    w = Words(lang)
    kpis = sorted(digest.kpis, key=lambda k: _ORDER[state_of(k)])
    when = f"{w('period')} {month(digest.period)}"
    blocks = [header(f"{title(digest, w, esc=False)} — {when}"), _summary(digest, kpis, w)]
    blocks += [section(_datasets(digest, w)), *_reasons(digest, w), {"type": "divider"}]
    action = _action(digest, kpis, w)
    tail = ([section(action)] if action else []) + _links(digest, w)
    room = MAX_BLOCKS - len(blocks) - len(tail)
    shown = kpis if len(kpis) <= room else kpis[: room - 1]
    blocks += [section(_kpi(k, w)) for k in shown]
    if len(shown) < len(kpis):
        blocks.append(section(_folded(kpis[len(shown) :], w)))
    text = f"{title(digest, w)} — {when}\n{w('targets')}: {_tally(kpis, w)}"
    return message(text + (f"\n{action}" if action else ""), blocks + tail)


def _summary(d: PlanDigest, kpis: list[KpiProgress], w: Words) -> dict[str, Any]:
    parts = [f"*{w('targets')}:* {_tally(kpis, w)}"]
    if d.data_due:
        parts.append(w("data_due", day(d.data_due)))
    if d.in_progress:
        parts.append(w("in_progress"))
    return section(" · ".join(parts))


def _datasets(d: PlanDigest, w: Words) -> str:
    head = (w("col_dataset"), w("col_in"), w("col_published"), w("col_rejected"), w("col_status"))
    rows = [head] + [_dataset_row(ds, w) for ds in d.datasets]
    return f"*{w('data')}*\n" + table(rows, MAX_SECTION - 40)


def _dataset_row(ds: DatasetStatus, w: Words) -> tuple[str, ...]:
    status = w(ds.status) if ds.status in {*_LATE, "published", "waiting"} else ds.status
    name, status = safe(dataset_name(ds.dataset, w)), safe(status)  # a code block parses <…> too
    if ds.status in {"missing", "waiting", "late"}:  # nothing arrived: counts would be noise
        return (name, "–", "–", "–", status)
    counts = (ds.rows_in, ds.rows_published, ds.rows_quarantined)
    return (name, *(w.int(n) for n in counts), status)


def _reasons(d: PlanDigest, w: Words) -> list[dict[str, Any]]:
    lines = [
        f"• {safe(dataset_name(ds.dataset, w))}: {safe(r)} ({w.int(n)})"
        for ds in d.datasets
        for r, n in ds.top_reasons[:3]
    ]
    return [section(f"*{w('reasons')}*\n" + "\n".join(lines))] if lines else []


def _kpi(k: KpiProgress, w: Words) -> str:
    st = state_of(k)
    fc = (
        f"{w('forecast')} {day(k.forecast_date)}"
        if k.forecast_date
        # no date: the trend never gets there (or there is no trend to read yet)
        else ("" if st in ("met", "no_data", "no_trend") else w("never"))
    )
    return (
        f"*{label(k, w)}*\n`{bar(k.current)}` {w.pct(k.current)} / "
        f"{w.pct(k.target, short=True)} · {w('vs_prev')}: {w.pp(k.current, k.previous)}\n"
        f"{ICON[st]} {w(st)} · {w('due')} {day(k.due_date)}" + (f" · {fc}" if fc else "")
    )


def _folded(rest: list[KpiProgress], w: Words) -> str:
    lines = [
        f"{ICON[state_of(k)]} {label(k, w)}: {w.pct(k.current)} / "
        f"{w.pct(k.target, short=True)} ({w(state_of(k))})"
        for k in rest
    ]
    body = "\n".join(lines)
    if len(body) <= MAX_SECTION:
        return body
    kept = clip(body, MAX_SECTION - 60).rsplit("\n", 1)[0]  # drop the cut line
    return f"{kept}\n{w('more', len(rest) - kept.count(chr(10)) - 1)}"


def _action(d: PlanDigest, kpis: list[KpiProgress], w: Words) -> str:
    """Mention each task group with a target behind; all of them when data is late."""
    behind = [k for k in kpis if state_of(k) in catalogue.NEEDS_ACTION]
    late = [ds.dataset for ds in d.datasets if ds.status in _LATE and not d.in_progress]
    lines = []
    for g in d.task_groups:
        mine = [k for k in behind if k.task_group_id == g.id]
        if not mine and not late:
            continue
        who = mention(g.slack_usergroup_id, g.name)
        what = "; ".join(
            f"{label(k, w)} {w.pct(k.current)} / {w.pct(k.target, short=True)}" for k in mine
        )
        parts = ([f"{w('behind_n', len(mine))}: {what}"] if mine else []) + (
            [w("late_n", ", ".join(safe(dataset_name(x, w)) for x in late))] if late else []
        )
        lines.append(f"{who} " + " · ".join(parts))
    return f":warning: *{w('action')}*\n" + "\n".join(lines) if lines else ""


def _links(d: PlanDigest, w: Words) -> list[dict[str, Any]]:
    parts = [link(d.flow_run_url, w("run"))]
    parts += [
        link(ds.report_url, w("report", safe(dataset_name(ds.dataset, w)))) for ds in d.datasets
    ]
    return [context(*parts)] if any(parts) else []


def _tally(kpis: list[KpiProgress], w: Words) -> str:
    n = {s: sum(state_of(k) == s for k in kpis) for s in _ORDER}
    shown = ("met", "on_track", "behind", "overdue", "no_data", "no_trend")
    return " · ".join(f"{n[s]} {w(s)}" for s in shown if n[s] or s in ("met", "behind"))
