"""Alerts: a rejected batch, a failed or crashed run, data late by the plan's calendar.

Each says what failed, why in plain words and what to do, links to the flow
run and the validation report, and is keyed so that a retry or a rerun updates
the one alert instead of posting another (see `alert_key`).
"""

from __future__ import annotations

from tasks.locale import catalogue
from tasks.notify.compose.i18n import Words, day, month
from tasks.notify.compose.slack_text import (
    SlackMessage,
    clip,
    context,
    link,
    mention,
    message,
    safe,
    section,
)
from tasks.notify.facts.models import Alert

WHATS = ("rejected", "failed", "crashed", "late")


def alert_key(alert: Alert) -> str:
    """The dedupe key: one alert per (plan, period, what, dataset); failed and crashed share."""
    what = "run" if alert.what in ("failed", "crashed") else alert.what
    subject = f":{alert.dataset}" if alert.dataset and what != "run" else ""
    return f"{alert.plan_id}:{alert.period}:alert:{what}{subject}"


def build_alert(alert: Alert, lang: str = "vi") -> SlackMessage:
    """The alert message: title, why, what to do, who, links."""
    if alert.what not in WHATS:
        raise ValueError(f"unknown alert {alert.what!r}: one of {', '.join(WHATS)}")
    w = Words(lang)
    title, why, todo = _words(alert, w)
    who = _mentions(alert) if alert.what in ("rejected", "late") else ""
    body = f"{title}\n{w('why')} {why}\n{w('todo')} {todo}"
    links = [link(alert.flow_run_url, w("run"))]
    if alert.report_url:
        links.append(link(alert.report_url, w("report", _dataset(alert, w))))
    named = alert.partner_name.split(" (")[0].casefold() in alert.plan_name.casefold()
    partner = "" if named else f" ({safe(alert.partner_name)})"  # said once, not twice
    plan = f"{w('plan')}: {safe(alert.plan_name)}{partner}"
    # officials read the section; the command is for engineers, in the context line
    command = w("engineer", f"`plan06 run {safe(alert.plan_id)} --period {safe(alert.period)}`")
    # the mentions are in "Cần làm" already: the body does not repeat them
    blocks = [section(body), context(plan, *links, command)]
    return message(f"{title}\n{plan}" + (f"\n{who}" if who else ""), blocks)


def _dataset(a: Alert, w: Words) -> str:
    return safe(catalogue.dataset(a.dataset, w.lang)) if a.dataset else ""


def _words(a: Alert, w: Words) -> tuple[str, str, str]:
    period, ds = month(a.period), _dataset(a, w)
    who = _mentions(a) or w("plan")
    if a.what == "rejected":
        reasons = "; ".join(safe(r) for r in a.reasons) or w("na")
        why = f"{w('rejected_why', clip(reasons, 1500))} {w('kept')}"
        return (
            w("rejected_title", ds, period),
            why,
            w("rejected_todo", who, safe(a.partner_name), ds, period),
        )
    if a.what == "late":
        due = day(a.due) if a.due else "?"  # no "today": the alert must not change daily
        todo = w("late_todo", who, safe(a.partner_name), ds, period)
        return w("late_title", ds, period, due), w("late_why", period, due), todo
    # a run's own error is English and technical: the run's log (linked) keeps it
    why = w("crashed_why" if a.what == "crashed" else "failed_why")
    return w(f"{a.what}_title", period), f"{why} {w('kept')}", w("failed_todo")


def _mentions(a: Alert) -> str:
    return " ".join(mention(g.slack_usergroup_id, g.name) for g in a.task_groups)
