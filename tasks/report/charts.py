"""Charts for the HTML reports, as inline SVG: no image files to lose, no network to fetch.

Text stays text in the SVG (svg.fonttype none), so Vietnamese labels are drawn
by the browser's fonts and can be found in the page; the SVG carries no date,
so a rerun writes the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display here, and none needed: we only write SVG

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

TARGET_COLOUR = "#c0392b"
VALUE_COLOUR = "#1f5fa8"
plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "plan06", "font.size": 9})


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog: the SVG is inlined in HTML


def _percent_axis(ax: plt.Axes) -> None:
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def kpi_chart(
    title: str, periods: Sequence[str], values: Sequence[float | None], target: float
) -> str:
    """A KPI over the periods (line) against its target (dashed)."""
    fig, ax = plt.subplots(figsize=(4.2, 2.4))
    points = [(p, v) for p, v in zip(periods, values, strict=True) if v is not None]
    if points:
        ax.plot(*zip(*points, strict=True), marker="o", color=VALUE_COLOUR, label="Hiện tại")
    ax.axhline(target, linestyle="--", color=TARGET_COLOUR, label=f"Chỉ tiêu {target:.0%}")
    ax.set_title(title, loc="left", fontsize=9)
    _percent_axis(ax)
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    return _svg(fig)


def quality_chart(periods: Sequence[str], rates: Sequence[float], rejected: Sequence[int]) -> str:
    """Share of rows quarantined per period; a red mark where a batch was rejected."""
    fig, ax = plt.subplots(figsize=(4.2, 2.4))
    ax.bar(periods, rates, color="#e0a526", label="Tỷ lệ bản ghi bị loại")
    for period, count in zip(periods, rejected, strict=True):
        if count:
            ax.annotate("✕ lô bị từ chối", (period, 0), color=TARGET_COLOUR, fontsize=7)
    ax.set_title("Chất lượng dữ liệu (data quality)", loc="left", fontsize=9)
    ax.set_ylim(0, max([0.05, *rates]) * 1.2)
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=1))
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelrotation=45)
    return _svg(fig)


def freshness_chart(labels: Sequence[str], ages_days: Sequence[float]) -> str:
    """Days since each dataset was last published, longest bar = stalest data."""
    fig, ax = plt.subplots(figsize=(6.0, 0.45 * len(labels) + 0.8))
    colours = [
        "#2e8b57" if age <= 7 else "#e0a526" if age <= 35 else TARGET_COLOUR for age in ages_days
    ]
    ax.barh(labels, ages_days, color=colours)
    ax.invert_yaxis()
    ax.set_xlabel("ngày kể từ lần công bố gần nhất (days since last published)")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
