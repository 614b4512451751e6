"""Generated provinces: a simulated system for any province code, for scale tests.

`PLAN06_SIMULATOR_PROVINCES=48,92,...` (official province codes of
warehouse/seeds/admin_units.csv) adds one simulated system per code, named
`tinh-<code>`, to the hand-written ones of profiles.yaml. Its behaviour is drawn
from the code alone, so every process that sets the same variable simulates the
same data: the area is the province's legacy communes, the volume and the rate
curves vary with the code within the ranges of the hand-written profiles.
"""

from __future__ import annotations

import os
import random

GENERATED_ENV = "PLAN06_SIMULATOR_PROVINCES"
RATES = ("digitised", "e_result", "synced", "online", "on_time", "reuse")


def generated_slug(province_code: str) -> str:
    """The simulator province (a plan's `simulator_province`) of a generated code."""
    return f"tinh-{province_code}"


def generated_codes() -> list[str]:
    """The province codes PLAN06_SIMULATOR_PROVINCES asks for (none when unset)."""
    text = os.environ.get(GENERATED_ENV, "")
    return [code.strip() for code in text.split(",") if code.strip()]


def generated_profile(province_code: str) -> dict:
    """A profiles.yaml entry for the province, deterministic in its code."""
    rng = random.Random(f"plan06-generated-{province_code}")
    rates = {}
    for name in RATES:
        ceiling = round(rng.uniform(0.85, 0.98), 3)
        base = round(rng.uniform(0.15, min(0.85, ceiling)), 3)
        rates[name] = {"base": base, "improvement": round(rng.uniform(0.05, 0.10), 3),
                       "ceiling": ceiling}  # fmt: skip
    return {
        "area": {"province_code": province_code},
        "volume": rng.randrange(850, 1400),
        "volume_swing": round(rng.uniform(0.08, 0.16), 3),
        "domains": {"cu_tru": 40, "dat_dai": 35, "ho_tich": 15, "ly_lich_tu_phap": 10},
        "birth_provinces": {f"0{province_code}": 70, "079": 15, "001": 15},
        "rates": rates,
    }


def generated_profiles() -> dict[str, dict]:
    """Every generated province the environment asks for, by simulator name."""
    return {generated_slug(code): generated_profile(code) for code in generated_codes()}
