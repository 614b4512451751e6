"""How a plan, a target and its state are named in every message kind."""

from __future__ import annotations

from tasks.notify.i18n import Words
from tasks.notify.models import KpiProgress, PlanDigest
from tasks.notify.slack_text import safe

ICON = {"met": ":white_check_mark:", "on_track": ":large_blue_circle:", "behind": ":warning:"}
_SCOPES = {
    "cu_tru": ("cư trú", "residence"),
    "dat_dai": ("đất đai", "land"),
    "ho_tich": ("hộ tịch", "civil status"),
    "ly_lich_tu_phap": ("lý lịch tư pháp", "judicial record"),
}


def state_of(k: KpiProgress) -> str:
    return "met" if k.met else "on_track" if k.on_track else "behind"


def title(d: PlanDigest, w: Words, esc: bool = True) -> str:
    name, partner, prefix = (safe if esc else str)(d.plan_name), d.partner_name, w("plan")
    # Plan names often already start with "Kế hoạch phối hợp": do not say it twice.
    lead = "" if name.casefold().startswith(prefix.casefold()) else f"{prefix} "
    return f"{lead}{name} ({safe(partner) if esc else partner})"


def label(k: KpiProgress, w: Words) -> str:
    scope = _SCOPES.get(k.scope, (k.scope, k.scope))[w.i] if k.scope != "all" else ""
    text = safe(k.label_en if w.i else k.label_vi)
    return f"{text} ({safe(scope)})" if scope else text
