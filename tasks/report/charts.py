"""Charts for the HTML reports, as inline SVG: no image files to lose, no network to fetch.

Text stays text in the SVG (svg.fonttype none), so Vietnamese labels are drawn
by the browser's fonts and can be found in the page; the SVG carries no date,
so a rerun writes the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display here, and none needed: we only write SVG

import matplotlib.pyplot as plt
from matplotlib.dates import DateFormatter, MonthLocator
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from tasks import locale as fmt
from tasks.report.chart_cache import cached

TARGET_COLOUR = "#c0392b"
VALUE_COLOUR = "#1f5fa8"
plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "plan06", "font.size": 9})


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog: the SVG is inlined in HTML


def _percent_axis(ax: plt.Axes, low: float = 0.0, high: float = 1.05, digits: int = 0) -> None:
    ax.set_ylim(low, high)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.pct(v, digits)))
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def _month(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]), 1)


def _months(first: str, last: str) -> list[str]:
    start, end = (int(p[:4]) * 12 + int(p[5:7]) - 1 for p in (first, last))
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(start, end + 1)]


def _every_month(periods: Sequence[str], values: Sequence[float | None]) -> tuple[list, list]:
    """Every month from the first to the last: a month without a value is a gap
    in the line (NaN), not a month that silently vanishes from the axis."""
    known = dict(zip(periods, values, strict=True))
    months = _months(min(periods), max(periods)) if periods else []
    ys = [math.nan if known.get(m) is None else known[m] for m in months]
    return [_month(m) for m in months], ys


def _fitted(values: Sequence[float], target: float) -> tuple[float, float]:
    """A y-range around the data and the target: 3-5 point moves stay visible."""
    seen = [v for v in values if not math.isnan(v)] + [target]
    pad = max(0.02, (max(seen) - min(seen)) * 0.15)
    return max(0.0, min(seen) - pad), min(1.05, max(seen) + pad)


@cached
def kpi_chart(
    title: str,
    periods: Sequence[str],
    values: Sequence[float | None],
    target: float,
    due: date | None = None,
) -> str:
    """A KPI per month (line, gaps shown) against its target (dashed) and due date."""
    fig, ax = plt.subplots(figsize=(4.2, 2.6))
    xs, ys = _every_month(periods, values)
    if xs:
        ax.plot(xs, ys, marker="o", color=VALUE_COLOUR, label="Hiện tại")
    ax.axhline(target, linestyle="--", color=TARGET_COLOUR, label=f"Chỉ tiêu {fmt.pct(target, 0)}")
    if due is not None:
        ax.axvline(due, linestyle=":", color="#555555", label=f"Hạn {fmt.day(due)}")
    ax.set_title(title, loc="left", fontsize=9)
    _percent_axis(ax, *_fitted(ys, target))
    # one tick per month (every few months on a long axis), never mid-month
    span = len(xs) + (
        0 if due is None or not xs else (due.year - xs[-1].year) * 12 + due.month - xs[-1].month
    )
    ax.xaxis.set_major_locator(MonthLocator(interval=max(1, -(-span // 6))))
    ax.xaxis.set_major_formatter(DateFormatter("%m/%Y"))
    ax.set_xlabel("Tháng")
    ax.set_ylabel("Tỷ lệ")
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="best", fontsize=7, frameon=False)
    return _svg(fig)


@cached
def quality_chart(periods: Sequence[str], rates: Sequence[float], rejected: Sequence[int]) -> str:
    """Share of rows quarantined per period; a red mark where a batch was rejected."""
    fig, ax = plt.subplots(figsize=(4.2, 2.4))
    periods = [f"{p[5:7]}/{p[:4]}" for p in periods]  # the axis reads 10/2026
    ax.bar(periods, rates, color="#e0a526", label="Tỷ lệ bản ghi bị loại")
    for period, count in zip(periods, rejected, strict=True):
        if count:
            ax.annotate("✕ lô bị từ chối", (period, 0), color=TARGET_COLOUR, fontsize=7)
    ax.set_title("Chất lượng dữ liệu", loc="left", fontsize=9)
    ax.set_ylim(0, max([0.05, *rates]) * 1.2)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.pct(v, 1)))
    ax.set_xlabel("Kỳ")
    ax.set_ylabel("Tỷ lệ bản ghi bị loại")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelrotation=45)
    return _svg(fig)


@cached
def freshness_chart(labels: Sequence[str], ages_days: Sequence[float]) -> str:
    """Days since each dataset was last published, longest bar = stalest data."""
    fig, ax = plt.subplots(figsize=(6.0, 0.45 * len(labels) + 0.8))
    colours = [
        "#2e8b57" if age <= 7 else "#e0a526" if age <= 35 else TARGET_COLOUR for age in ages_days
    ]
    ax.barh(labels, ages_days, color=colours)
    ax.invert_yaxis()
    ax.set_xlabel("Số ngày kể từ lần công bố gần nhất")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
