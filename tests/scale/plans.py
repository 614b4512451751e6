"""The plans of the scale test: the seed plans plus one generated plan per province code.

A generated plan is the Bình Dương seed plan (four HTTP datasets: dossiers,
land parcels, residence records by update stamp, service indicators) with its
id, partner, area and `simulator_province` changed to a generated province of
simulator/generated.py. The codes are official 2025 province codes from
warehouse/seeds/admin_units.csv, those with the fewest communes first (small
runs), leaving out the seed plans' partners.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import yaml

from simulator.generated import generated_slug
from tasks.settings import PROJECT_ROOT

SEED_PLANS = PROJECT_ROOT / "flows" / "plans"
TEMPLATE = SEED_PLANS / "binh-duong-cu-tru-dat-dai.yaml"
UNITS_CSV = PROJECT_ROOT / "warehouse" / "seeds" / "admin_units.csv"


def province_codes(count: int) -> list[tuple[str, str]]:
    """(code, name) of `count` current provinces, fewest legacy communes first."""
    with UNITS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    current = {r["unit_code"]: r["name"] for r in rows if r["level"] == "province"
               and not r["valid_to"]}  # fmt: skip
    communes = Counter(r["province_code"] for r in rows if r["level"] == "commune"
                       and r["valid_to"])  # fmt: skip
    seeds = {yaml.safe_load(p.read_text(encoding="utf-8"))["partner"]["unit_code"]
             for p in SEED_PLANS.glob("*.yaml")}  # fmt: skip
    codes = sorted((c for c in current if c not in seeds and communes[c]), key=communes.get)
    if len(codes) < count:
        raise SystemExit(f"only {len(codes)} province codes to generate plans for, not {count}")
    return [(code, current[code]) for code in codes[:count]]


def generated_plan(code: str, name: str) -> dict:
    plan = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    plan["id"] = f"tinh-{code}-cu-tru-dat-dai"
    plan["name"] = f"Số hóa và tái sử dụng dữ liệu cư trú, đất đai — {name}"
    plan["partner"] = {"name": name, "unit_code": code}
    for source in plan["sources"].values():
        source["simulator_province"] = generated_slug(code)
        for key in ("url_env", "token_env"):
            source[key] = source[key].replace("BINH_DUONG", f"TINH_{code}")
    return plan


def write_plans(folder: Path, count: int) -> tuple[list[str], list[str]]:
    """Copy the seed plans and write `count` generated ones; (plan ids, province codes)."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for path in sorted(SEED_PLANS.glob("*.yaml")):
        shutil.copy(path, folder / path.name)
        ids.append(path.stem)
    codes = province_codes(count)
    for code, name in codes:
        plan = generated_plan(code, name)
        text = yaml.safe_dump(plan, allow_unicode=True, sort_keys=False)
        (folder / f"{plan['id']}.yaml").write_text(text, encoding="utf-8")
        ids.append(plan["id"])
    return ids, [code for code, _ in codes]
