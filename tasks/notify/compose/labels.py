"""How a plan, a target and its state are named in every message kind."""

from __future__ import annotations

from tasks.locale import catalogue
from tasks.notify.compose.i18n import Words
from tasks.notify.compose.slack_text import safe
from tasks.notify.facts.models import KpiProgress, PlanDigest

ICON = {
    "met": ":white_check_mark:",
    "on_track": ":large_blue_circle:",
    "behind": ":warning:",
    "overdue": ":red_circle:",
    "no_data": ":white_circle:",
    "no_trend": ":hourglass:",
}


def state_of(k: KpiProgress) -> str:
    """The target's status (marts.target_progress), as every message names it."""
    return catalogue.target_status(k.met, k.on_track, k.status)


def title(d: PlanDigest, w: Words, esc: bool = True) -> str:
    name, partner, prefix = (safe if esc else str)(d.plan_name), d.partner_name, w("plan")
    # Plan names often already start with "Kế hoạch phối hợp": do not say it twice.
    lead = "" if name.casefold().startswith(prefix.casefold()) else f"{prefix} "
    # "… — Bình Dương" already names the partner: no "(Bình Dương (nay thuộc …))" after it
    if partner.split(" (")[0].casefold() in name.casefold():
        return f"{lead}{name}"
    return f"{lead}{name} ({safe(partner) if esc else partner})"


def label(k: KpiProgress, w: Words) -> str:
    # the catalogue's scope label, lower-cased inside the parentheses: "(cư trú)"
    scope = catalogue.scope(k.scope, w.lang).lower() if k.scope != "all" else ""
    text = safe(k.label_en if w.i else k.label_vi)
    return f"{text} ({safe(scope)})" if scope else text


def dataset_name(dataset: str, w: Words) -> str:
    """The catalogue's name of a dataset ("Hồ sơ TTHC"), not its id."""
    return catalogue.dataset(dataset, w.lang)
