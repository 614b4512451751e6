"""Replies in a plan thread: written only when a target or a dataset changes state.

The root message keeps a small state (each target's met/on track/behind, each
dataset's status); when an update of an already posted root changes it, one
reply says what moved, and mentions the owning task group when a target fell
behind or data became late. Nothing moved, nothing said.
"""

from __future__ import annotations

from tasks.locale import catalogue
from tasks.notify.compose.i18n import Words, month
from tasks.notify.compose.messages import ICON, label, state_of, title
from tasks.notify.compose.slack_text import SlackMessage, context, mention, message, safe, section
from tasks.notify.facts.models import PlanDigest

State = dict[str, dict[str, str]]
_BAD_DATA = {"missing", "rejected", "failed", "late"}
_QUIET = {"waiting"}  # a dataset the run has not reached yet is not news


def thread_state(digest: PlanDigest) -> State:
    """What replies are about: target states and dataset statuses."""
    return {
        "targets": {k.target_id: state_of(k) for k in digest.kpis},
        "datasets": {ds.dataset: ds.status for ds in digest.datasets},
    }


def changes(old: State, new: State) -> list[tuple[str, str, str, str]]:
    """(kind, subject, old, new) for each subject whose state moved, in a stable order."""
    moved = []
    for kind in ("datasets", "targets"):
        before, after = old.get(kind, {}), new.get(kind, {})
        for subject in sorted(set(before) & set(after)):
            was, now = before[subject], after[subject]
            if was != now and now not in _QUIET and was not in _QUIET:
                moved.append((kind, subject, was, now))
    return moved


def build_reply(
    digest: PlanDigest, moved: list[tuple[str, str, str, str]], lang: str = "vi"
) -> SlackMessage:
    """One reply listing what moved; the owning groups mentioned when it went wrong."""
    w = Words(lang)
    kpis = {k.target_id: k for k in digest.kpis}
    lines, owners = [], set()
    for kind, subject, was, now in moved:
        if kind == "datasets":
            name = catalogue.dataset(subject, w.lang)
            lines.append(w("dataset_moved", safe(name), w(was), w(now)))
            owners |= {g.id for g in digest.task_groups} if now in _BAD_DATA else set()
            continue
        k = kpis[subject]
        pct = (w.pct(k.current), w.pct(k.target, short=True))
        lines.append(w("target_moved", ICON[now], label(k, w), w(was), w(now), *pct))
        owners |= {k.task_group_id} if now == "behind" else set()
    who = [mention(g.slack_usergroup_id, g.name) for g in digest.task_groups if g.id in owners]
    body = "\n".join(lines) + (f"\n{' '.join(who)}" if who else "")
    head = f"{title(digest, w)} — {w('period')} {month(digest.period)}"
    return message(
        f"{w('changed')}: {head}\n{body}", [section(f"{w('changed')}\n{body}"), context(safe(head))]
    )
