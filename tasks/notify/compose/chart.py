"""The digest's chart: each plan's targets over time, as % of target (PNG bytes).

Drawn with matplotlib's object API (Agg, no display), one panel per plan, one line
per target, the 100% line dashed. Labels are plan ids and KPI names: no data
about people is ever drawn.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure  # no pyplot: no global state, no display

from tasks.notify.compose.i18n import Words, month
from tasks.notify.compose.messages import label
from tasks.notify.facts.models import LeadsDigest


def progress_chart(digest: LeadsDigest, lang: str = "vi") -> bytes:
    """A PNG of progress over time for every plan of the digest."""
    w = Words(lang)
    n = max(1, len(digest.plans))
    fig = Figure(figsize=(8, 2.6 * n))
    axes = fig.subplots(n, 1, squeeze=False)
    for ax, plan in zip(axes[:, 0], digest.plans, strict=False):
        for k in plan.kpis:
            points = [(p, v / k.target) for p, v in plan.history.get(k.target_id, []) if v]
            if points:
                xs, ys = zip(*points, strict=True)
                ax.plot(
                    [month(x) for x in xs],
                    [y * 100 for y in ys],
                    marker="o",
                    label=label(k, w).replace("&amp;", "&"),
                )
        ax.axhline(100, linestyle="--", color="grey", linewidth=1)
        ax.set_title(plan.plan_id, fontsize=10)
        ax.set_ylabel("%")
        ax.legend(fontsize=7, loc="lower right")
    fig.suptitle(w("chart_title"))
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=80, metadata={"Software": None})
    return out.getvalue()
