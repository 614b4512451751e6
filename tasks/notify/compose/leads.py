"""The weekly digest for working-group leads: every plan on one page (pure, no I/O).

A KPI table (plan, target, now, change, goal, due), the best and worst movers
since the last period, and the targets at risk (behind, soonest due first).
The progress chart goes with it as a PNG (tasks/notify/compose/chart.py).
"""

from __future__ import annotations

from tasks import locale as fmt
from tasks.locale import catalogue
from tasks.notify.compose.i18n import Words, day, month
from tasks.notify.compose.messages import ICON, label, state_of
from tasks.notify.compose.slack_text import (
    SlackMessage,
    context,
    header,
    message,
    safe,
    section,
    table,
)
from tasks.notify.facts.models import KpiProgress, LeadsDigest

MOVERS = 3


def build_leads_digest(digest: LeadsDigest, lang: str = "vi") -> SlackMessage:
    """One message with every plan's standing, within Slack's limits."""
    w = Words(lang)
    rows = [(p, k) for p in digest.plans for k in p.kpis]
    states = [state_of(k) for _, k in rows]
    summary = w(
        "digest_summary",
        len(digest.plans),
        len(rows),
        states.count("met"),
        states.count("on_track"),
        sum(states.count(s) for s in catalogue.NEEDS_ACTION),
    )
    head = (w("col_plan"), w("col_target"), w("col_now"), w("col_delta"), w("col_goal"))
    cells = [head] + [
        (safe(short_name(p)), _short(k, w), w.pct(k.current), _delta(k, w), _goal(k, w))
        for p, k in rows
    ]
    periods = sorted({p.period for p in digest.plans})
    blocks = [
        header(w("digest_title", fmt.period(digest.week, w.lang))),
        section(f"{summary}\n{w('period')}: {', '.join(month(x) for x in periods)}"),
        section(table(cells)),
        section(_movers(rows, w)),
        section(_at_risk(rows, w)),
        context(*(f"{safe(short_name(p))}: {safe(p.plan_name)}" for p in digest.plans[:9])),
    ]
    return message(f"{w('digest_title', fmt.period(digest.week, w.lang))}\n{summary}", blocks)


def short_name(p: object) -> str:
    """A plan as a lead names it in a narrow column: what follows the name's last
    dash ("… — Bình Dương" -> "Bình Dương"), the whole name if it has none."""
    return str(p.plan_name).rsplit(" — ", 1)[-1]  # type: ignore[attr-defined]


def _short(k: KpiProgress, w: Words) -> str:
    # label() is escaped: Slack parses <…> inside a code block too, so it stays escaped
    return label(k, w)[:40]


def _goal(k: KpiProgress, w: Words) -> str:
    return w.pct(k.target, short=True)


def _delta(k: KpiProgress, w: Words) -> str:
    return w.pp(k.current, k.previous).replace(f" {w('pp')}", "")


def _change(k: KpiProgress) -> float | None:
    return None if k.current is None or k.previous is None else k.current - k.previous


def _movers(rows: list, w: Words) -> str:
    moved = sorted((r for r in rows if _change(r[1]) is not None), key=lambda r: _change(r[1]))
    if not moved:
        return f"{w('best')}: {w('none')}\n{w('worst')}: {w('none')}"
    best = [r for r in moved[::-1] if _change(r[1]) > 0][:MOVERS]  # type: ignore[operator]
    worst = [r for r in moved if _change(r[1]) < 0][:MOVERS]  # type: ignore[operator]

    def line(p: object, k: KpiProgress) -> str:
        return f"• {safe(short_name(p))} · {label(k, w)}: {w.pp(k.current, k.previous)}"  # type: ignore[attr-defined]

    def part(title: str, rows: list) -> list[str]:
        return [title, *(line(p, k) for p, k in rows)] if rows else [f"{title}: {w('none')}"]

    return "\n".join(part(w("best"), best) + part(w("worst"), worst))


def _at_risk(rows: list, w: Words) -> str:
    risky = sorted(
        (r for r in rows if state_of(r[1]) in catalogue.NEEDS_ACTION), key=lambda r: r[1].due_date
    )
    lines = [
        f"{ICON['behind']} {safe(short_name(p))} · {label(k, w)}: {w.pct(k.current)} / "
        f"{w.pct(k.target, short=True)} · {w('due')} {day(k.due_date)}"
        for p, k in risky
    ]
    return f"{w('at_risk')}\n" + ("\n".join(lines) if lines else w("none"))
