"""Decision 766 sub-indicators a province publishes per commune and month.

The ones no dossier field gives (warehouse/seeds/scoring_766.yaml,
`unmeasured`): procedures published on time, online payment, satisfaction...
Each is a numerator over a denominator whose share climbs from the plans'
signing like the other campaigns. Rows come in key order (unit, indicator).
"""

from __future__ import annotations

import random

from simulator.dossier import Record
from simulator.periods import Period

# indicator -> (share in 11/2024, ceiling, typical denominator)
INDICATORS: dict[str, tuple[float, float, int]] = {
    "published_on_time": (0.80, 0.99, 40),
    "updated_on_time": (0.75, 0.98, 40),
    "fully_published": (0.85, 1.00, 40),
    "online_payment": (0.35, 0.85, 300),
    "e_certified_copies": (0.40, 0.90, 120),
    "personal_data_store": (0.20, 0.80, 300),
    "population_db_use": (0.50, 0.95, 300),
    "feedback_on_time": (0.70, 0.98, 12),
    "feedback_satisfaction": (0.75, 0.97, 12),
    "handling_satisfaction": (0.85, 0.99, 200),
}
_START = Period(2024, 11)


def service_indicator_rows(rng: random.Random, period: Period, units: list[str]) -> list[Record]:
    """One row per (unit, indicator) of `period`."""
    months = period.months_since(_START)
    rows = []
    for unit in units:
        for indicator, (base, ceiling, size) in INDICATORS.items():
            share = ceiling - (ceiling - base) * 0.9 ** max(months, 0)
            denominator = max(1, round(size * rng.uniform(0.6, 1.4)))
            numerator = min(denominator, round(denominator * share * rng.uniform(0.97, 1.03)))
            rows.append(
                {
                    "MaDonVi": unit,
                    "KyBaoCao": str(period),
                    "MaChiSo": indicator,
                    "TuSo": numerator,
                    "MauSo": denominator,
                }
            )
    return rows
